// Drives OpenIM's official JavaScript client SDK (@openim/client-sdk) against an HTTP API address.
//
// Input (stdin, JSON): {"apiAddr", "userID", "token", "platformID", "adminToken", "steps": [...]},
// each step
//   {"call": "<SDK method>", "args": [...]}  a public SDK method; its ApiResponse is recorded,
//   {"sync": "groups"}                       the SDK's own group sync (run after it connects), or
//   {"admin": "<path>", "body": {...}}       a POST by an app admin (adminToken) between the SDK's
//                                            steps, not one of the SDK's requests; its answer
// Output (stdout, JSON): {"results", "events", "requests", "unhandled"}: one result per step, the
// SDK events fired, every HTTP request the SDK sent (path, headers, raw body) with the status,
// Content-Type and text of its answer, and the errors of requests the SDK fired without waiting.
//
// The SDK logs in over a WebSocket to the message gateway before it sends any HTTP request. The
// gateway is not part of the HTTP API, so a stand-in WebSocket that opens and carries nothing
// takes its place; every HTTP request goes to apiAddr through Node's own fetch.
import { getSDK, CbEvents } from "@openim/client-sdk";

const write = (...parts) => process.stderr.write(parts.map(String).join(" ") + "\n");
for (const level of ["log", "info", "debug", "warn", "trace"]) console[level] = write;

class GatewayStandIn {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;

  constructor(url) {
    this.url = url;
    this.readyState = GatewayStandIn.CONNECTING;
    this.OPEN = GatewayStandIn.OPEN;
    setTimeout(() => {
      this.readyState = GatewayStandIn.OPEN;
      if (this.onopen) this.onopen();
    }, 0);
  }

  send() {}

  close() {
    this.readyState = GatewayStandIn.CLOSED;
  }
}
globalThis.WebSocket = GatewayStandIn;

const requests = [];
const inFlight = new Set();
const nodeFetch = globalThis.fetch;
const recordedFetch = async (url, init = {}) => {
  const answer = await nodeFetch(url, init);
  requests.push({
    path: new URL(url).pathname,
    headers: init.headers,
    body: typeof init.body === "string" ? init.body : null,
    status: answer.status,
    contentType: answer.headers.get("content-type"),
    answer: await answer.clone().text(),
  });
  return answer;
};
// Requests the SDK fires without waiting (e.g. after accepting an application) are awaited
// before the output is written, so they are recorded too.
globalThis.fetch = (url, init) => {
  const sent = recordedFetch(url, init);
  inFlight.add(sent);
  sent.finally(() => inFlight.delete(sent)).catch(() => {});
  return sent;
};

const readStdin = async () => {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
};

const plan = await readStdin();
const sdk = getSDK();
const events = [];
for (const name of Object.values(CbEvents)) {
  sdk.on(name, (event) => events.push({ event: name, data: event.data }));
}

const unhandled = [];
process.on("unhandledRejection", (error) => unhandled.push(String(error?.message ?? error)));

const results = [];
results.push(await sdk.login({
  userID: plan.userID,
  token: plan.token,
  platformID: plan.platformID ?? 5,
  wsAddr: "ws://gateway.invalid",
  apiAddr: plan.apiAddr,
  logLevel: 5,
}));
let adminCalls = 0;
for (const step of plan.steps) {
  if (step.admin) {
    const answer = await nodeFetch(new URL(step.admin, plan.apiAddr), {
      method: "POST",
      headers: { token: plan.adminToken, operationID: `admin-${++adminCalls}` },
      body: JSON.stringify(step.body ?? {}),
    });
    results.push(await answer.json());
  } else if (step.sync === "groups") {
    try {
      await sdk.groupTrigger.sync(`sync-${results.length}`);
      results.push({ errCode: 0 });
    } catch (error) {
      results.push({ errCode: error.errCode ?? -1, errMsg: String(error.message ?? error) });
    }
  } else {
    try {
      results.push(await sdk[step.call](...(step.args ?? [])));
    } catch (error) {
      results.push(error);
    }
  }
}
while (inFlight.size) await Promise.allSettled([...inFlight]);
await new Promise((settle) => setTimeout(settle, 0));
process.stdout.write(JSON.stringify({ results, events, requests, unhandled }));
process.exit(0);
