import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import {
  memoryStore,
  signBody,
  signVoiceCallback,
  verifyBodySignature,
  verifyVoiceSignature,
} from "../mod.ts";
import { fakeClock } from "./_support/fake_clock.ts";

// Vectors are computed here with node:crypto, independently of the library's WebCrypto code.
const hmac = (key: string, message: string | Uint8Array, encoding: "base64" | "hex") =>
  createHmac("sha256", key).update(message).digest(encoding);

const TOKEN = "sub-account-auth-token";
const PARENT = "main-account-auth-token";
const BASE = "https://hooks.example.com/vobiz/answer";
const NONCE3 = "12345678901234567890";
const NONCE2 = "09876543210987654321";

/** The headers Vobiz sends on a sub-account callback (all six, as in a real capture). */
function vobizHeaders(base = BASE, v3 = NONCE3, v2 = NONCE2): Record<string, string> {
  return {
    "x-vobiz-signature-v3": hmac(TOKEN, `${base}.${v3}`, "base64"),
    "x-vobiz-signature-v3-nonce": v3,
    "x-vobiz-signature-ma-v3": hmac(PARENT, `${base}.${v3}`, "base64"),
    "x-vobiz-signature-v2": hmac(TOKEN, `${base}${v2}`, "base64"),
    "x-vobiz-signature-v2-nonce": v2,
    "x-vobiz-signature-ma-v2": hmac(PARENT, `${base}${v2}`, "base64"),
  };
}

const only = (headers: Record<string, string>, ...names: string[]) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => names.includes(name)));

describe("verifyVoiceSignature", () => {
  test("accepts V3, the newest scheme, first", async () => {
    const result = await verifyVoiceSignature({
      url: BASE,
      headers: vobizHeaders(),
      authToken: TOKEN,
    });
    assert.deepEqual(result, { valid: true, version: "v3" });
  });

  test("accepts V2 alone (base + nonce, no dot)", async () => {
    const headers = only(vobizHeaders(), "x-vobiz-signature-v2", "x-vobiz-signature-v2-nonce");
    assert.deepEqual(await verifyVoiceSignature({ url: BASE, headers, authToken: TOKEN }), {
      valid: true,
      version: "v2",
    });
  });

  test("ignores the query string and fragment of the callback URL", async () => {
    for (const url of [`${BASE}?CallUUID=abc&From=%2B91`, `${BASE}#frag`, new URL(`${BASE}?x=1`)]) {
      const result = await verifyVoiceSignature({ url, headers: vobizHeaders(), authToken: TOKEN });
      assert.equal(result.valid, true, String(url));
    }
  });

  test("matches the URL after normalisation (case of scheme and host, default port)", async () => {
    const result = await verifyVoiceSignature({
      url: "HTTPS://Hooks.Example.com:443/vobiz/answer?x=1",
      headers: vobizHeaders(),
      authToken: TOKEN,
    });
    assert.deepEqual(result, { valid: true, version: "v3" });
  });

  test("accepts Headers objects, mixed-case records and array values", async () => {
    const record = vobizHeaders();
    const forms = [
      new Headers(record),
      Object.fromEntries(Object.entries(record).map(([k, value]) => [k.toUpperCase(), value])),
      Object.fromEntries(Object.entries(record).map(([k, value]) => [k, [value]])),
    ];
    for (const headers of forms) {
      assert.deepEqual(await verifyVoiceSignature({ url: BASE, headers, authToken: TOKEN }), {
        valid: true,
        version: "v3",
      });
    }
  });

  test("tampered URL, nonce or signature, and a wrong token, all fail", async () => {
    const headers = vobizHeaders();
    const flip = (text: string) => (text[0] === "A" ? "B" : "A") + text.slice(1);
    const cases: [string, Parameters<typeof verifyVoiceSignature>[0]][] = [
      ["path", { url: `${BASE}x`, headers, authToken: TOKEN }],
      ["host", { url: BASE.replace("hooks.", "evil."), headers, authToken: TOKEN }],
      ["scheme", { url: BASE.replace("https:", "http:"), headers, authToken: TOKEN }],
      ["token", { url: BASE, headers, authToken: "wrong", parentAuthToken: "wrong too" }],
      [
        "nonces",
        {
          url: BASE,
          headers: {
            ...headers,
            "x-vobiz-signature-v3-nonce": "12345678901234567891",
            "x-vobiz-signature-v2-nonce": "09876543210987654320",
          },
          authToken: TOKEN,
        },
      ],
      [
        "signatures",
        {
          url: BASE,
          headers: Object.fromEntries(
            Object.entries(headers).map((
              [k, value],
            ) => [k, k.endsWith("nonce") ? value : flip(value)]),
          ),
          authToken: TOKEN,
        },
      ],
    ];
    for (const [what, options] of cases) {
      assert.deepEqual(
        await verifyVoiceSignature(options),
        { valid: false, reason: "mismatch" },
        what,
      );
    }
  });

  test("the V3 dot matters: a V2-style message under the V3 header fails", async () => {
    const headers = {
      "x-vobiz-signature-v3": hmac(TOKEN, `${BASE}${NONCE3}`, "base64"),
      "x-vobiz-signature-v3-nonce": NONCE3,
    };
    assert.deepEqual(await verifyVoiceSignature({ url: BASE, headers, authToken: TOKEN }), {
      valid: false,
      reason: "mismatch",
    });
  });

  test("reports unsigned, missing-nonce and malformed requests", async () => {
    const verify = (headers: Record<string, string>) =>
      verifyVoiceSignature({ url: BASE, headers, authToken: TOKEN });
    assert.deepEqual(await verify({}), { valid: false, reason: "unsigned" });
    assert.deepEqual(await verify({ "X-Vobiz-Signature": "legacy-v1" }), {
      valid: false,
      reason: "unsigned",
    });
    assert.deepEqual(await verify(only(vobizHeaders(), "x-vobiz-signature-v3")), {
      valid: false,
      reason: "missing_nonce",
    });
    assert.deepEqual(
      await verify({ "x-vobiz-signature-v3": "not base64!", "x-vobiz-signature-v3-nonce": NONCE3 }),
      { valid: false, reason: "malformed" },
    );
  });

  describe("the -MA- variants (parent account's token)", () => {
    test("verify with the parent token when the sub-account token is wrong", async () => {
      const result = await verifyVoiceSignature({
        url: BASE,
        headers: vobizHeaders(),
        authToken: "not-the-sub-token",
        parentAuthToken: PARENT,
      });
      assert.deepEqual(result, { valid: true, version: "ma-v3" });
    });

    test("a main account holding only its own token verifies its sub-accounts' callbacks", async () => {
      const result = await verifyVoiceSignature({
        url: BASE,
        headers: vobizHeaders(),
        authToken: PARENT,
      });
      assert.deepEqual(result, { valid: true, version: "ma-v3" });
    });

    test("MA-V2 reuses the V2 nonce", async () => {
      const headers = only(vobizHeaders(), "x-vobiz-signature-ma-v2", "x-vobiz-signature-v2-nonce");
      const result = await verifyVoiceSignature({ url: BASE, headers, authToken: PARENT });
      assert.deepEqual(result, { valid: true, version: "ma-v2" });
    });

    test("an MA signature made with the sub-account token does not pass as the parent's", async () => {
      const headers = {
        "x-vobiz-signature-ma-v3": hmac(TOKEN, `${BASE}.${NONCE3}`, "base64"),
        "x-vobiz-signature-v3-nonce": NONCE3,
      };
      const result = await verifyVoiceSignature({
        url: BASE,
        headers,
        authToken: TOKEN,
        parentAuthToken: PARENT,
      });
      assert.deepEqual(result, { valid: false, reason: "mismatch" });
    });

    test("versions restricts the schemes tried", async () => {
      const result = await verifyVoiceSignature({
        url: BASE,
        headers: vobizHeaders(),
        authToken: PARENT,
        versions: ["v3", "v2"],
      });
      assert.deepEqual(result, { valid: false, reason: "mismatch" });
    });
  });

  test("any one of several candidate URLs (behind a proxy) is enough", async () => {
    const result = await verifyVoiceSignature({
      url: ["http://10.0.0.5:8080/vobiz/answer", BASE],
      headers: vobizHeaders(),
      authToken: TOKEN,
    });
    assert.deepEqual(result, { valid: true, version: "v3" });
  });

  describe("replay protection with a nonce store", () => {
    test("a nonce seen before is rejected as replayed", async () => {
      const nonceStore = memoryStore();
      const options = { url: BASE, headers: vobizHeaders(), authToken: TOKEN, nonceStore };
      assert.deepEqual(await verifyVoiceSignature(options), { valid: true, version: "v3" });
      assert.deepEqual(await verifyVoiceSignature(options), {
        valid: false,
        reason: "replayed",
        version: "v3",
      });
      const fresh = vobizHeaders(BASE, "11111111111111111111", "22222222222222222222");
      assert.deepEqual(await verifyVoiceSignature({ ...options, headers: fresh }), {
        valid: true,
        version: "v3",
      });
    });

    test("stripping the V3 headers from a captured request does not make it new", async () => {
      const nonceStore = memoryStore();
      const headers = vobizHeaders();
      await verifyVoiceSignature({ url: BASE, headers, authToken: TOKEN, nonceStore });
      const v2Only = only(headers, "x-vobiz-signature-v2", "x-vobiz-signature-v2-nonce");
      assert.deepEqual(
        await verifyVoiceSignature({ url: BASE, headers: v2Only, authToken: TOKEN, nonceStore }),
        { valid: false, reason: "replayed", version: "v2" },
      );
    });

    test("a forged request does not burn the nonce of a genuine one", async () => {
      const nonceStore = memoryStore();
      const forged = {
        ...vobizHeaders(),
        "x-vobiz-signature-v3": hmac("attacker", `${BASE}.${NONCE3}`, "base64"),
      };
      const forgedOnly = only(forged, "x-vobiz-signature-v3", "x-vobiz-signature-v3-nonce");
      assert.deepEqual(
        await verifyVoiceSignature({
          url: BASE,
          headers: forgedOnly,
          authToken: TOKEN,
          nonceStore,
        }),
        { valid: false, reason: "mismatch" },
      );
      assert.equal((await nonceStore.getKeys()).length, 0);
      assert.deepEqual(
        await verifyVoiceSignature({
          url: BASE,
          headers: vobizHeaders(),
          authToken: TOKEN,
          nonceStore,
        }),
        { valid: true, version: "v3" },
      );
    });

    test("nonces are forgotten after nonceTtlSeconds", async () => {
      const clock = fakeClock();
      const nonceStore = memoryStore({ clock });
      const options = {
        url: BASE,
        headers: vobizHeaders(),
        authToken: TOKEN,
        nonceStore,
        nonceTtlSeconds: 60,
      };
      assert.equal((await verifyVoiceSignature(options)).valid, true);
      await clock.advance(59_000);
      assert.equal((await verifyVoiceSignature(options)).valid, false);
      await clock.advance(1_000);
      assert.equal((await verifyVoiceSignature(options)).valid, true);
    });
  });

  test("a missing auth token is a programming error", async () => {
    await assert.rejects(
      verifyVoiceSignature({ url: BASE, headers: vobizHeaders(), authToken: "" }),
      TypeError,
    );
  });
});

describe("signVoiceCallback", () => {
  test("produces the headers Vobiz sends, matching independent vectors", async () => {
    const headers = await signVoiceCallback({
      url: `${BASE}?ignored=1`,
      authToken: TOKEN,
      parentAuthToken: PARENT,
      nonce: { v3: NONCE3, v2: NONCE2 },
    });
    assert.deepEqual(
      Object.fromEntries(Object.entries(headers).map(([k, value]) => [k.toLowerCase(), value])),
      vobizHeaders(),
    );
  });

  test("random nonces are 20 digits, distinct, and verify", async () => {
    const headers = await signVoiceCallback({ url: BASE, authToken: TOKEN });
    assert.match(headers["X-Vobiz-Signature-V3-Nonce"]!, /^\d{20}$/);
    assert.match(headers["X-Vobiz-Signature-V2-Nonce"]!, /^\d{20}$/);
    assert.notEqual(headers["X-Vobiz-Signature-V3-Nonce"], headers["X-Vobiz-Signature-V2-Nonce"]);
    assert.equal(headers["X-Vobiz-Signature-MA-V3"], undefined);
    const request = new Request(BASE, { method: "POST", headers, body: "CallUUID=abc" });
    assert.deepEqual(
      await verifyVoiceSignature({ url: request.url, headers: request.headers, authToken: TOKEN }),
      { valid: true, version: "v3" },
    );
  });
});

describe("verifyBodySignature", () => {
  const SECRET = "whsec_subscription_secret";
  const body = JSON.stringify({
    event_id: "evt_1",
    event: "message.inbound",
    data: { text: "hi ✓" },
  });
  const hex = hmac(SECRET, body, "hex");

  test("accepts a hex signature of the raw body, with or without sha256=, any case", async () => {
    for (const signature of [hex, `sha256=${hex}`, `SHA256=${hex.toUpperCase()}`, ` ${hex} `]) {
      assert.deepEqual(await verifyBodySignature({ body, signature, secret: SECRET }), {
        valid: true,
      });
    }
  });

  test("accepts the body as bytes or an ArrayBuffer, including non-UTF-8 bytes", async () => {
    const bytes = new Uint8Array([0xff, 0x00, 0xfe, 0x41]);
    const signature = hmac(SECRET, bytes, "hex");
    assert.equal(
      (await verifyBodySignature({ body: bytes, signature, secret: SECRET })).valid,
      true,
    );
    assert.equal(
      (await verifyBodySignature({ body: bytes.buffer, signature, secret: SECRET })).valid,
      true,
    );
    const utf8 = new TextEncoder().encode(body);
    assert.equal(
      (await verifyBodySignature({ body: utf8, signature: hex, secret: SECRET })).valid,
      true,
    );
  });

  test("tampered body, signature or secret all fail", async () => {
    const mismatch = { valid: false, reason: "mismatch" };
    const reserialised = JSON.stringify(JSON.parse(body), null, 1);
    assert.deepEqual(
      await verifyBodySignature({ body: `${body} `, signature: hex, secret: SECRET }),
      mismatch,
    );
    assert.deepEqual(
      await verifyBodySignature({ body: reserialised, signature: hex, secret: SECRET }),
      mismatch,
    );
    const flipped = (hex[0] === "a" ? "b" : "a") + hex.slice(1);
    assert.deepEqual(
      await verifyBodySignature({ body, signature: flipped, secret: SECRET }),
      mismatch,
    );
    assert.deepEqual(
      await verifyBodySignature({ body, signature: hex.slice(0, 62), secret: SECRET }),
      mismatch,
    );
    assert.deepEqual(
      await verifyBodySignature({ body, signature: hex, secret: "other" }),
      mismatch,
    );
  });

  test("reports unsigned and malformed signatures", async () => {
    for (const signature of [null, undefined, "", "sha256="]) {
      assert.deepEqual(await verifyBodySignature({ body, signature, secret: SECRET }), {
        valid: false,
        reason: "unsigned",
      });
    }
    assert.deepEqual(await verifyBodySignature({ body, signature: "zz", secret: SECRET }), {
      valid: false,
      reason: "malformed",
    });
  });

  test("base64 on request, and auto-detection for KYC events", async () => {
    const b64 = hmac(SECRET, body, "base64");
    assert.equal(
      (await verifyBodySignature({ body, signature: b64, secret: SECRET })).valid,
      false,
    );
    assert.equal(
      (await verifyBodySignature({ body, signature: b64, secret: SECRET, encoding: "base64" }))
        .valid,
      true,
    );
    for (const signature of [b64, `sha256=${b64}`, hex, `sha256=${hex}`]) {
      const result = await verifyBodySignature({
        body,
        signature,
        secret: SECRET,
        encoding: "auto",
      });
      assert.deepEqual(result, { valid: true }, signature);
    }
  });

  test("signBody matches the independent vector and round-trips", async () => {
    assert.equal(await signBody({ body, secret: SECRET }), hex);
    assert.equal(await signBody({ body, secret: SECRET, prefix: true }), `sha256=${hex}`);
    assert.equal(
      await signBody({ body, secret: SECRET, encoding: "base64" }),
      hmac(SECRET, body, "base64"),
    );
    const signature = await signBody({ body, secret: PARENT, prefix: true });
    assert.deepEqual(await verifyBodySignature({ body, signature, secret: PARENT }), {
      valid: true,
    });
  });
});
