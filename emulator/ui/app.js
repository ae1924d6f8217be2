// im-emulator inspector: a small single-page app over the admin API (/_emulator/*).
// No framework and no build step. Every admin call carries the --admin-token as a bearer
// header when one is needed; writes are JSON, as the admin API's guard requires.
"use strict";

const TOKEN_KEY = "im-emulator-admin-token";
const PAGE_SIZE = 25;
const POLL_MS = 1000;

const state = {
  token: sessionStorage.getItem(TOKEN_KEY) || "",
  tokenRequired: false,
  timer: null,        // the current view's refresh timer
  view: "",
  vendors: [],
};

// ---- helpers ------------------------------------------------------------------------------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "style") el.style.cssText = value;  // CSSOM: allowed by the page's CSP
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function fmtTime(ms) {
  if (!ms) return "—";
  const d = new Date(ms);
  if (isNaN(d)) return String(ms);
  return d.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

function fmtSeconds(seconds) { return fmtTime(seconds * 1000); }

function badge(text, kind) { return h("span", { class: "badge " + (kind || "") }, text); }

function setStatus(text, bad) {
  const el = document.getElementById("status");
  el.textContent = text;
  el.classList.toggle("bad", !!bad);
}

class AdminError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function api(method, path, body) {
  const headers = { "Accept": "application/json" };
  if (state.token) headers["Authorization"] = "Bearer " + state.token;
  const init = { method, headers, cache: "no-store" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  let data = null;
  try { data = await response.json(); } catch (e) { data = null; }
  if (!response.ok) {
    const message = (data && (data.message || data.error)) || ("HTTP " + response.status);
    if (response.status === 401) askForToken("The admin token was refused: " + message);
    throw new AdminError(response.status, message);
  }
  return data;
}

function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== "" && value != null) q.set(key, value);
  const text = q.toString();
  return text ? "?" + text : "";
}

function emptyRow(columns, text) {
  return h("tr", {}, h("td", { class: "empty", colspan: columns }, text));
}

function table(columns, rows, emptyText) {
  return h("table", {},
    h("colgroup", {}, columns.map(c => h("col", { style: c.width ? "width:" + c.width : null }))),
    h("thead", {}, h("tr", {}, columns.map(c => h("th", { class: c.num ? "num" : null, scope: "col" }, c.label)))),
    h("tbody", {}, rows.length ? rows : emptyRow(columns.length, emptyText)));
}

function stopTimer() {
  if (state.timer) clearInterval(state.timer);
  state.timer = null;
}

function every(ms, fn) {
  stopTimer();
  state.timer = setInterval(() => { fn().catch(showError); }, ms);
}

function showError(err) {
  if (err instanceof AdminError && err.status === 401) return;
  setStatus("Error: " + err.message, true);
}

function main() { return document.getElementById("main"); }

function render(...children) {
  const el = main();
  el.replaceChildren(...children);
}

// ---- the token -----------------------------------------------------------------------------

function askForToken(message) {
  stopTimer();
  state.view = "token";
  const input = h("input", { id: "token", type: "password", autocomplete: "off", required: true,
                             "aria-describedby": "token-help" });
  const form = h("form", { class: "stack", onsubmit: (event) => {
    event.preventDefault();
    state.token = input.value.trim();
    sessionStorage.setItem(TOKEN_KEY, state.token);
    setStatus("");
    route();
  } },
    h("label", { for: "token" }, "Admin token", input),
    h("p", { id: "token-help", class: "note" },
      "This emulator runs with --admin-token. Paste it here, or open the page as ",
      h("code", {}, "/_emulator/ui#token=TOKEN"), ". It is kept for this tab only."),
    h("div", {}, h("button", { class: "primary", type: "submit" }, "Open the inspector")));
  render(h("section", { class: "panel token-box" }, h("h1", {}, "Admin token needed"),
    message ? h("p", { class: "error" }, message) : null, form));
  input.focus();
}

// ---- Overview ------------------------------------------------------------------------------

async function viewOverview() {
  const container = h("div", {});
  render(h("h1", {}, "Overview"), container);
  const refresh = async () => {
    const [info, health] = await Promise.all([api("GET", "/_emulator/overview"),
                                              api("GET", "/_emulator/health")]);
    state.vendors = info.vendors;
    fillOverview(container, info, health);
  };
  await refresh();
  every(2000, async () => {
    // Leave the forms alone while someone is typing in them.
    if (container.contains(document.activeElement) && document.activeElement.tagName === "INPUT") return;
    await refresh();
  });
}

function fillOverview(container, info, health) {
  const c = info.counts;
  const card = (value, label, id) => h("div", { class: "card" },
    h("div", { class: "value", id }, value), h("div", { class: "label" }, label));
  const clock = info.clock;
  const advance = h("input", { id: "advance-seconds", type: "number", step: "any", value: "60",
                               style: "width:110px", "aria-label": "Seconds to advance" });
  const setTo = h("input", { id: "set-time", type: "text", style: "width:230px",
                             placeholder: "2030-01-01T00:00:00Z or Unix seconds",
                             "aria-label": "Time to set the clock to" });
  const clockError = h("p", { class: "error", id: "clock-error", role: "alert" });
  const clockDo = (body) => api("POST", "/_emulator/clock", body)
    .then(() => viewOverview()).catch(err => { clockError.textContent = err.message; });
  const limitsButton = h("button", { id: "rate-limits-toggle", onclick: () =>
    api("POST", "/_emulator/rate-limits", { enabled: !info.rate_limits }).then(() => viewOverview()).catch(showError) },
    info.rate_limits ? "Turn rate limits off" : "Turn rate limits on");

  container.replaceChildren(
    h("div", { class: "cards" },
      card(c.users, "users", "count-users"), card(c.groups, "groups", "count-groups"),
      card(c.memberships, "memberships", "count-memberships"), card(c.messages, "messages", "count-messages")),
    h("div", { class: "grid" },
      h("section", { class: "panel", "aria-labelledby": "h-emulator" },
        h("h2", { id: "h-emulator" }, "Emulator"),
        h("dl", { class: "info" },
          h("dt", {}, "Version"), h("dd", { id: "version" }, info.version),
          h("dt", {}, "Health"), h("dd", { id: "health" }, health.status === "ok" ? badge("ok", "ok") : badge(health.status, "bad")),
          h("dt", {}, "Ready"), h("dd", {}, info.ready ? badge("ready", "ok") : badge("not ready", "warn")),
          h("dt", {}, "Vendors"), h("dd", {}, info.vendors.join(", ")),
          h("dt", {}, "Journal"), h("dd", {}, `${info.journal.entries} of ${info.journal.size} entries`),
          h("dt", {}, "Fault rules"), h("dd", {}, String(info.faults)),
          h("dt", {}, "Rate limits"), h("dd", { id: "rate-limits" }, info.rate_limits ? badge("on", "ok") : badge("off", "warn"))),
        h("div", { class: "toolbar", style: "margin-top:14px" }, limitsButton,
          h("span", { class: "spacer" }),
          h("button", { class: "danger", id: "reset", onclick: confirmReset }, "Reset…"))),
      h("section", { class: "panel", "aria-labelledby": "h-clock" },
        h("h2", { id: "h-clock" }, "Clock"),
        h("p", { class: "clock-now", id: "clock-now" }, fmtSeconds(clock.now)),
        h("p", { class: "muted", style: "margin:0 0 12px" },
          clock.frozen ? badge("frozen", "warn") : badge("running", "ok"), " ",
          h("span", { id: "clock-unix" }, clock.now.toFixed(3)), " Unix seconds"),
        h("div", { class: "toolbar" },
          clock.frozen
            ? h("button", { id: "unfreeze", onclick: () => clockDo({ freeze: false }) }, "Unfreeze")
            : h("button", { id: "freeze", onclick: () => clockDo({ freeze: true }) }, "Freeze")),
        h("form", { class: "row", id: "advance-form", onsubmit: (e) => {
          e.preventDefault();
          const seconds = Number(advance.value);
          if (!advance.value || !isFinite(seconds)) { clockError.textContent = "Give a number of seconds."; return; }
          clockDo({ advance: seconds });
        } }, h("label", {}, "Advance by (seconds)", advance), h("button", { type: "submit" }, "Advance")),
        h("form", { class: "row", id: "set-form", style: "margin-top:8px", onsubmit: (e) => {
          e.preventDefault();
          const text = setTo.value.trim();
          const seconds = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : Date.parse(text) / 1000;
          if (!text || !isFinite(seconds)) { clockError.textContent = "Give an ISO time or Unix seconds."; return; }
          clockDo({ set: seconds });
        } }, h("label", {}, "Set to", setTo), h("button", { type: "submit" }, "Set")),
        clockError)));
}

function confirmReset() {
  const dialog = document.getElementById("confirm");
  dialog.returnValue = "";
  dialog.onclose = () => {
    if (dialog.returnValue !== "ok") return;
    api("POST", "/_emulator/reset").then(() => {
      setStatus("Reset to the loaded fixtures");
      return viewOverview();
    }).catch(showError);
  };
  dialog.showModal();
}

// ---- Users and groups ------------------------------------------------------------------------

function pagedTable({ title, columns, items, rowFor, matches, placeholder, id }) {
  let page = 0;
  const search = h("input", { type: "search", id: id + "-search", placeholder, "aria-label": "Search " + title.toLowerCase(), style: "width:320px" });
  const holder = h("div", {});
  const info = h("span", { class: "muted", id: id + "-count" });
  const prev = h("button", { class: "small", id: id + "-prev", onclick: () => { page--; draw(); } }, "‹ Previous");
  const next = h("button", { class: "small", id: id + "-next", onclick: () => { page++; draw(); } }, "Next ›");
  function draw() {
    const text = search.value.trim().toLowerCase();
    const shown = text ? items.filter(item => matches(item, text)) : items;
    const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
    page = Math.min(Math.max(page, 0), pages - 1);
    const slice = shown.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
    holder.replaceChildren(table(columns, slice.map(rowFor),
      text ? `No ${title.toLowerCase()} match “${search.value.trim()}”.` : `There are no ${title.toLowerCase()} in the store.`));
    info.textContent = shown.length ? `${page * PAGE_SIZE + 1}–${page * PAGE_SIZE + slice.length} of ${shown.length}` : "0 of 0";
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
  }
  search.addEventListener("input", () => { page = 0; draw(); });
  draw();
  return [h("div", { class: "toolbar" }, h("label", {}, "Search", search)),
          h("section", { class: "panel" }, holder, h("div", { class: "pager" }, info, prev, next))];
}

function linkRow(href, cells) {
  return h("tr", { class: "clickable", tabindex: "0",
                   onclick: (e) => { if (e.target.tagName !== "A") location.hash = href; },
                   onkeydown: (e) => { if (e.key === "Enter") location.hash = href; } }, cells);
}

async function viewUsers() {
  const data = await api("GET", "/_emulator/state");
  const groupsOf = {};
  for (const m of data.memberships) groupsOf[m.user_id] = (groupsOf[m.user_id] || 0) + 1;
  const owned = {};
  for (const g of data.groups) owned[g.owner] = (owned[g.owner] || 0) + 1;
  render(h("h1", {}, "Users"), ...pagedTable({
    title: "Users", id: "users", items: data.users, placeholder: "id or name",
    matches: (u, t) => u.id.toLowerCase().includes(t) || (u.name || "").toLowerCase().includes(t),
    columns: [{ label: "ID", width: "24%" }, { label: "Name", width: "24%" }, { label: "Created", width: "22%" },
              { label: "Groups", num: true, width: "15%" }, { label: "Owns", num: true, width: "15%" }],
    rowFor: (u) => linkRow("#/groups?member=" + encodeURIComponent(u.id), [
      h("td", { class: "mono" }, u.id), h("td", {}, u.name || "—"), h("td", {}, fmtTime(u.created_at)),
      h("td", { class: "num" }, groupsOf[u.id] || 0), h("td", { class: "num" }, owned[u.id] || 0)]),
  }));
}

function groupStatus(g) {
  if (g.status === "dismissed") return badge("dismissed", "bad");
  if (g.status && g.status !== "normal") return badge(g.status, "warn");
  if (g.mute_all) return badge("muted", "warn");
  return badge("normal", "ok");
}

async function viewGroups(params) {
  const data = await api("GET", "/_emulator/state");
  let groups = data.groups;
  const member = params.get("member");
  if (member) {
    const mine = new Set(data.memberships.filter(m => m.user_id === member).map(m => m.group_id));
    groups = groups.filter(g => mine.has(g.id));
  }
  render(h("h1", {}, member ? `Groups of ${member}` : "Groups"),
    member ? h("p", {}, h("a", { href: "#/groups" }, "All groups")) : null,
    ...pagedTable({
      title: "Groups", id: "groups", items: groups, placeholder: "id, name or owner",
      matches: (g, t) => [g.id, g.name, g.owner].some(v => (v || "").toLowerCase().includes(t)),
      columns: [{ label: "ID", width: "20%" }, { label: "Name", width: "26%" }, { label: "Type", width: "12%" },
                { label: "Status", width: "12%" }, { label: "Owner", width: "18%" }, { label: "Members", num: true, width: "12%" }],
      rowFor: (g) => linkRow("#/group/" + encodeURIComponent(g.id), [
        h("td", { class: "mono" }, h("a", { href: "#/group/" + encodeURIComponent(g.id) }, g.id)),
        h("td", {}, g.name || "—"), h("td", {}, g.type), h("td", {}, groupStatus(g)),
        h("td", { class: "mono" }, g.owner || "—"), h("td", { class: "num" }, g.member_count)]),
    }));
}

async function viewGroup(id) {
  const [data, log, clock] = await Promise.all([
    api("GET", "/_emulator/state"),
    api("GET", "/_emulator/messages" + query({ group: id })),
    api("GET", "/_emulator/clock")]);
  const group = data.groups.find(g => g.id === id);
  if (!group) {
    render(h("h1", {}, "Group not found"), h("section", { class: "panel empty" },
      `There is no group “${id}” in the store. `, h("a", { href: "#/groups" }, "All groups")));
    return;
  }
  const nowMs = clock.now * 1000;
  const whitelist = new Set(group.whitelist || []);
  const roleOrder = { owner: 0, admin: 1, member: 2 };
  const members = data.memberships.filter(m => m.group_id === id)
    .sort((a, b) => (roleOrder[a.role] ?? 3) - (roleOrder[b.role] ?? 3) || a.user_id.localeCompare(b.user_id));
  const names = Object.fromEntries(data.users.map(u => [u.id, u.name]));
  const muteCell = (m) => m.mute_until_ms > nowMs ? badge("muted until " + fmtTime(m.mute_until_ms), "warn")
    : whitelist.has(m.user_id) ? badge("whitelisted", "ok") : h("span", { class: "muted" }, "no");
  const attributes = Object.entries(group.attributes || {});
  const messages = log.messages.slice().reverse();
  const field = (label, value) => [h("dt", {}, label), h("dd", {}, value === "" || value == null ? "—" : value)];
  render(
    h("p", { style: "margin:0" }, h("a", { href: "#/groups" }, "‹ Groups")),
    h("h1", { id: "group-name" }, group.name || group.id),
    h("div", { class: "grid" },
      h("section", { class: "panel", "aria-labelledby": "h-info" }, h("h2", { id: "h-info" }, "Info"),
        h("dl", { class: "info" },
          field("ID", h("code", {}, group.id)), field("Type", group.type), field("Status", groupStatus(group)),
          field("Owner", group.owner), field("Creator", group.creator), field("Members", String(group.member_count)),
          field("Max members", String(group.max_members)), field("Created", fmtTime(group.create_time_ms)),
          field("Introduction", group.introduction), field("Notification", group.notification),
          field("Join option", group.apply_join_option),
          field("Mute all", group.mute_all ? (group.mute_all_until_ms ? "until " + fmtTime(group.mute_all_until_ms) : "on") : "off"))),
      h("section", { class: "panel", "aria-labelledby": "h-attrs" }, h("h2", { id: "h-attrs" }, "Attributes"),
        table([{ label: "Key", width: "40%" }, { label: "Value" }],
          attributes.map(([k, v]) => h("tr", {}, h("td", { class: "mono" }, k), h("td", {}, v))),
          "This group has no attributes."))),
    h("section", { class: "panel", "aria-labelledby": "h-members", style: "margin-top:16px" },
      h("h2", { id: "h-members" }, `Members (${members.length})`),
      table([{ label: "User", width: "22%" }, { label: "Name", width: "22%" }, { label: "Role", width: "12%" },
             { label: "Muted", width: "24%" }, { label: "Joined", width: "20%" }],
        members.map(m => h("tr", { "data-user": m.user_id },
          h("td", { class: "mono" }, m.user_id), h("td", {}, m.nickname || names[m.user_id] || "—"),
          h("td", {}, m.role), h("td", {}, muteCell(m)), h("td", {}, fmtTime(m.join_time_ms)))),
        "This group has no members.")),
    h("section", { class: "panel", "aria-labelledby": "h-messages" },
      h("h2", { id: "h-messages" }, `Messages (${messages.length}, newest first)`),
      table([{ label: "Seq", num: true, width: "7%" }, { label: "Time", width: "19%" }, { label: "Sender", width: "13%" },
             { label: "Vendor", width: "10%" }, { label: "Type", width: "9%" }, { label: "Body" }],
        messages.map(m => h("tr", {},
          h("td", { class: "num" }, m.seq), h("td", {}, fmtTime(m.time)), h("td", { class: "mono" }, m.sender),
          h("td", {}, m.vendor), h("td", {}, m.recalled ? [m.type, " ", badge("recalled", "warn")] : m.type),
          h("td", {}, h("pre", { class: "body mono" }, typeof m.body === "string" ? m.body : JSON.stringify(m.body))))),
        "No messages in this group's log.")));
}

// ---- Journal -------------------------------------------------------------------------------

async function viewJournal() {
  const filters = {};
  const vendorSelect = h("select", { id: "f-vendor", name: "vendor", "aria-label": "Vendor" }, h("option", { value: "" }, "any"));
  if (!state.vendors.length) state.vendors = (await api("GET", "/_emulator/version")).vendors;
  for (const v of state.vendors) vendorSelect.append(h("option", { value: v }, v));
  const endpoint = h("input", { id: "f-endpoint", name: "endpoint", type: "text", placeholder: "exact endpoint", style: "width:260px" });
  const status = h("input", { id: "f-status", name: "status", type: "text", inputmode: "numeric", placeholder: "e.g. 200", style: "width:90px" });
  const code = h("input", { id: "f-code", name: "code", type: "text", inputmode: "numeric", placeholder: "vendor code", style: "width:110px" });
  const pause = h("input", { id: "f-pause", type: "checkbox" });
  const count = h("span", { class: "muted", id: "journal-count" });
  const body = h("div", {});
  const details = h("section", { class: "panel details", id: "journal-details", "aria-live": "polite" },
    h("h2", {}, "Details"), h("p", { class: "muted" }, "Select a row to see its details."));
  let seen = null;
  let selected = null;
  let entries = [];

  function showDetails(entry) {
    selected = entry.seq;
    const field = (label, value) => [h("dt", {}, label), h("dd", {}, value === "" || value == null ? "—" : value)];
    details.replaceChildren(h("h2", {}, `Request #${entry.seq}`), h("dl", { class: "info", style: "grid-template-columns:110px 1fr" },
      field("Time", fmtSeconds(entry.time)), field("Vendor", entry.vendor), field("Method", entry.method),
      field("Path", h("code", {}, entry.path)), field("Endpoint", h("code", {}, entry.endpoint)),
      field("App", entry.app), field("User", entry.user), field("HTTP status", String(entry.status)),
      field("Vendor code", entry.code == null ? "" : String(entry.code)),
      field("Duration", entry.duration_ms.toFixed(1) + " ms"),
      field(entry.status >= 400 || (entry.code && entry.code !== 0) ? "Reason" : "Note", entry.reason)));
    for (const row of body.querySelectorAll("tr.selected")) row.classList.remove("selected");
    const row = body.querySelector(`tr[data-seq="${entry.seq}"]`);
    if (row) row.classList.add("selected");
  }

  function draw() {
    const newest = entries.slice().reverse().slice(0, 500);
    const rows = newest.map(e => {
      const bad = e.status >= 400 || (e.code != null && e.code !== 0 && e.code !== 200);
      return h("tr", { class: "clickable" + (seen && !seen.has(e.seq) ? " fresh" : "") + (selected === e.seq ? " selected" : ""),
                       tabindex: "0", "data-seq": e.seq,
                       onclick: () => showDetails(e), onkeydown: (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); showDetails(e); } } },
        h("td", { class: "num" }, e.seq), h("td", {}, fmtSeconds(e.time).slice(11, 19)),
        h("td", {}, e.vendor), h("td", { class: "mono" }, e.endpoint), h("td", {}, e.user || "—"),
        h("td", {}, badge(String(e.status), e.status < 400 ? "ok" : "bad")),
        h("td", {}, e.code == null ? "—" : bad ? badge(String(e.code), "bad") : String(e.code)),
        h("td", { class: "num" }, e.duration_ms.toFixed(1)));
    });
    const filtered = Object.keys(filters).length > 0;
    body.replaceChildren(table(
      [{ label: "#", num: true, width: "7%" }, { label: "Time", width: "13%" }, { label: "Vendor", width: "11%" },
       { label: "Endpoint" }, { label: "User", width: "13%" }, { label: "Status", width: "9%" },
       { label: "Code", width: "10%" }, { label: "ms", num: true, width: "8%" }],
      rows, filtered ? "No requests match these filters yet." : "No vendor requests yet. Point your backend at this emulator; its requests appear here as they arrive."));
    seen = new Set(entries.map(e => e.seq));
  }

  async function refresh() {
    if (pause.checked) return;
    const data = await api("GET", "/_emulator/journal" + query(filters));
    const before = entries.length ? entries[entries.length - 1].seq : -1;
    const after = data.entries.length ? data.entries[data.entries.length - 1].seq : -1;
    const changed = seen === null || before !== after || data.entries.length !== entries.length;
    entries = data.entries;
    count.textContent = `${entries.length} shown · keeps ${data.size}`;
    if (changed) draw();
  }

  const form = h("form", { class: "toolbar", id: "journal-filters", onsubmit: (e) => { e.preventDefault(); apply(); } },
    h("label", {}, "Vendor", vendorSelect), h("label", {}, "Endpoint", endpoint),
    h("label", {}, "Status", status), h("label", {}, "Code", code),
    h("button", { type: "submit" }, "Filter"),
    h("button", { type: "button", onclick: () => { form.reset(); apply(); } }, "Clear filters"),
    h("span", { class: "spacer" }),
    h("label", { class: "inline" }, pause, "Pause"),
    h("button", { type: "button", id: "journal-clear", onclick: () => api("DELETE", "/_emulator/journal").then(() => { entries = []; seen = null; return refresh(); }).catch(showError) }, "Clear journal"));

  function apply() {
    for (const key of Object.keys(filters)) delete filters[key];
    for (const [key, input] of [["vendor", vendorSelect], ["endpoint", endpoint], ["status", status], ["code", code]]) {
      if (input.value.trim()) filters[key] = input.value.trim();
    }
    seen = null;
    entries = [];
    refresh().catch(showError);
  }
  vendorSelect.addEventListener("change", apply);

  render(h("h1", {}, "Journal ", h("span", { class: "badge ok", id: "live" }, "live")), form,
    h("div", { class: "split" }, h("section", { class: "panel" }, body, h("div", { class: "pager" }, count)), details));
  await refresh();
  every(POLL_MS, refresh);
}

// ---- Faults --------------------------------------------------------------------------------

function effectText(rule) {
  if (rule.error) return "error code " + rule.error.code;
  if (rule.delay_ms !== undefined) return "delay " + rule.delay_ms + " ms";
  if (rule.status) return "HTTP " + rule.status;
  if (rule.drop) return "drop the connection";
  return "—";
}

async function viewFaults() {
  if (!state.vendors.length) state.vendors = (await api("GET", "/_emulator/version")).vendors;
  const holder = h("div", {});
  const error = h("p", { class: "error", id: "fault-error", role: "alert" });
  const vendor = h("select", { id: "fault-vendor", required: true, "aria-label": "Vendor" }, state.vendors.map(v => h("option", { value: v }, v)));
  const endpoint = h("input", { id: "fault-endpoint", type: "text", placeholder: "any endpoint" });
  const user = h("input", { id: "fault-user", type: "text", placeholder: "any user" });
  const app = h("input", { id: "fault-app", type: "text", placeholder: "any app" });
  const times = h("input", { id: "fault-times", type: "number", min: "1", step: "1", placeholder: "every time" });
  const probability = h("input", { id: "fault-probability", type: "number", min: "0", max: "1", step: "any", placeholder: "1" });
  const effect = h("select", { id: "fault-effect", "aria-label": "Effect" },
    h("option", { value: "error" }, "vendor error code"), h("option", { value: "delay_ms" }, "delay (ms)"),
    h("option", { value: "status" }, "HTTP status"), h("option", { value: "drop" }, "drop the connection"));
  const value = h("input", { id: "fault-value", type: "text", inputmode: "numeric", placeholder: "code" });
  const valueLabel = h("label", { id: "fault-value-label" }, "Code", value);
  const placeholders = { error: ["Code", "e.g. 1001"], delay_ms: ["Delay (ms)", "e.g. 1500"], status: ["Status", "502 or 503"] };
  effect.addEventListener("change", () => {
    const p = placeholders[effect.value];
    valueLabel.hidden = !p;
    if (p) { valueLabel.firstChild.textContent = p[0]; value.placeholder = p[1]; }
  });
  effect.dispatchEvent(new Event("change"));

  const form = h("form", { class: "fault-form", id: "fault-form", onsubmit: async (e) => {
    e.preventDefault();
    error.textContent = "";
    const rule = { vendor: vendor.value };
    for (const [key, input] of [["endpoint", endpoint], ["user", user], ["app", app]]) if (input.value.trim()) rule[key] = input.value.trim();
    if (times.value) rule.times = Number(times.value);
    if (probability.value) rule.probability = Number(probability.value);
    const number = Number(value.value);
    if (effect.value !== "drop" && (!value.value.trim() || !Number.isInteger(number))) {
      error.textContent = "Give a whole number for the effect."; value.focus(); return;
    }
    if (effect.value === "error") rule.error = { code: number };
    else if (effect.value === "delay_ms") rule.delay_ms = number;
    else if (effect.value === "status") rule.status = number;
    else rule.drop = true;
    try {
      const added = await api("POST", "/_emulator/faults", rule);
      setStatus(`Fault rule ${added.id} added`);
      form.reset();
      effect.dispatchEvent(new Event("change"));
      await refresh();
    } catch (err) { error.textContent = err.message; }
  } },
    h("label", {}, "Vendor", vendor), h("label", { class: "wide" }, "Endpoint (or path)", endpoint),
    h("label", {}, "User", user), h("label", {}, "App", app),
    h("label", {}, "Times", times), h("label", {}, "Probability (0–1)", probability),
    h("label", {}, "Effect", effect), valueLabel,
    h("div", {}, h("button", { class: "primary", type: "submit", id: "fault-add" }, "Add rule")));

  async function refresh() {
    const data = await api("GET", "/_emulator/faults");
    const rows = data.faults.map(r => h("tr", { "data-rule": r.id },
      h("td", { class: "num" }, r.id), h("td", {}, r.vendor), h("td", { class: "mono" }, r.endpoint || "any"),
      h("td", {}, r.user || "any"), h("td", {}, r.app || "any"),
      h("td", {}, r.times == null ? "every time" : `${r.times} time${r.times === 1 ? "" : "s"}`),
      h("td", { class: "num" }, r.probability), h("td", {}, effectText(r)),
      h("td", { class: "num fired" }, r.fired),
      h("td", {}, h("button", { class: "small", "aria-label": `Remove rule ${r.id}`,
        onclick: () => api("DELETE", "/_emulator/faults/" + r.id).then(refresh).catch(showError) }, "Remove"))));
    holder.replaceChildren(table(
      [{ label: "#", num: true, width: "5%" }, { label: "Vendor", width: "10%" }, { label: "Endpoint" },
       { label: "User", width: "10%" }, { label: "App", width: "10%" }, { label: "Times", width: "10%" },
       { label: "Prob.", num: true, width: "7%" }, { label: "Effect", width: "14%" },
       { label: "Fired", num: true, width: "7%" }, { label: "", width: "9%" }],
      rows, "No fault rules. Add one below; it applies to the next matching vendor request."));
  }

  render(h("h1", {}, "Faults"),
    h("section", { class: "panel", "aria-labelledby": "h-rules" },
      h("div", { class: "toolbar" }, h("h2", { id: "h-rules", style: "margin:0" }, "Rules"), h("span", { class: "spacer" }),
        h("button", { class: "small", id: "faults-clear", onclick: () => api("DELETE", "/_emulator/faults").then(refresh).catch(showError) }, "Remove all")),
      holder),
    h("section", { class: "panel", "aria-labelledby": "h-add" }, h("h2", { id: "h-add" }, "Add a rule"), form, error,
      h("p", { class: "note" }, "A rule matches the vendor and, when given, the endpoint, user and app. " +
        "It fires for the next N matching requests (Times), or with the given probability, or both.")));
  await refresh();
  every(POLL_MS, refresh);
}

// ---- routing -------------------------------------------------------------------------------

function route() {
  stopTimer();
  if (state.tokenRequired && !state.token) { askForToken(""); return; }
  const hash = location.hash.replace(/^#\/?/, "");
  const [pathPart, queryPart] = hash.split("?");
  const params = new URLSearchParams(queryPart || "");
  const parts = pathPart.split("/").map(decodeURIComponent);
  const view = parts[0] || "overview";
  state.view = view;
  for (const link of document.querySelectorAll("nav a")) {
    const current = link.dataset.view === (view === "group" ? "groups" : view);
    if (current) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
  }
  const views = {
    overview: viewOverview, users: viewUsers, groups: () => viewGroups(params),
    group: () => viewGroup(parts.slice(1).join("/")), journal: viewJournal, faults: viewFaults,
  };
  const run = views[view];
  if (!run) { render(h("h1", {}, "Not found"), h("p", {}, h("a", { href: "#/overview" }, "Overview"))); return; }
  document.title = `${view[0].toUpperCase()}${view.slice(1)} · im-emulator inspector`;
  setStatus("");
  run().then(() => { if (state.view === view) setStatus("Connected"); }).catch(showError);
}

async function start() {
  // #token=TOKEN: take the token, keep it for this tab and drop it from the address bar.
  const match = location.hash.match(/^#token=([^&]*)/);
  if (match) {
    state.token = decodeURIComponent(match[1]);
    sessionStorage.setItem(TOKEN_KEY, state.token);
    history.replaceState(null, "", location.pathname + "#/overview");
  }
  try {
    const config = await (await fetch("/_emulator/ui/config.json", { cache: "no-store" })).json();
    state.tokenRequired = !!config.token_required;
  } catch (e) { state.tokenRequired = false; }
  window.addEventListener("hashchange", route);
  route();
}

start();
