// A real OpenID Connect provider on 127.0.0.1 for the portal's tests (oauth2-mock-server).
// Prints "READY <issuer URL>" when it listens. What the next ID tokens look like is read, at each token
// request, from the JSON file named by SCENARIO_FILE:
//   {"claims": {...added to the ID token...}, "nonce": "<replaces the nonce>", "expired": true, "other_key": true,
//    "state": "<replaces the state on the way back to the portal, as an attacker in between would>"}
import { generateKeyPairSync, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { OAuth2Server } from "oauth2-mock-server";

const scenario = () => {
  try {
    return JSON.parse(readFileSync(process.env.SCENARIO_FILE, "utf8"));
  } catch {
    return {};
  }
};

const server = new OAuth2Server();
await server.issuer.keys.generate("RS256");
const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey; // a key it does not publish

server.service.on("beforeTokenSigning", (token) => {
  const wanted = scenario();
  Object.assign(token.payload, wanted.claims || {});
  if (wanted.nonce !== undefined && "nonce" in token.payload) token.payload.nonce = wanted.nonce;
  if (wanted.expired) {
    const now = Math.floor(Date.now() / 1000);
    token.payload.iat = now - 1200;
    token.payload.nbf = now - 1200;
    token.payload.exp = now - 600;
  }
});

server.service.on("beforeAuthorizeRedirect", (redirect) => {
  const wanted = scenario();
  if (wanted.state !== undefined) redirect.url.searchParams.set("state", wanted.state);
});

// The same header (kid) and claims, signed by the stranger's key: only the signature is wrong.
server.service.on("beforeResponse", (response) => {
  if (!scenario().other_key || !response.body.id_token) return;
  const [header, payload] = response.body.id_token.split(".");
  const signature = sign("RSA-SHA256", Buffer.from(`${header}.${payload}`), stranger);
  response.body.id_token = `${header}.${payload}.${signature.toString("base64url")}`;
});

await server.start(Number(process.env.PORT || 0), "127.0.0.1");
const address = server.address();
server.issuer.url = `http://127.0.0.1:${address.port}`;
console.log(`READY ${server.issuer.url}`);
