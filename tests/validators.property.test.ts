// Property tests: values generated from each grammar are accepted, mutations of them are
// rejected, and no input of any kind makes a schema throw. The oracles here are written
// independently of src/ (different code, same published rules).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import * as v from "valibot";
import {
  E164Schema,
  EmailSchema,
  IPv4CidrSchema,
  IPv4Schema,
  isPublicHost,
  PublicUrlSchema,
} from "../mod.ts";

const RUNS = 5000;
function run<Ts extends unknown[]>(property: fc.IProperty<Ts>): void {
  fc.assert(property, { numRuns: RUNS });
}
const accepts = (schema: v.GenericSchema, value: unknown) => v.safeParse(schema, value).success;

const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: min, maxLength: max });
const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary-ascii", maxLength: 600 }),
);

/** Inserts `piece` at a generated position of `text`. */
const insertAt = (text: string, piece: string, at: number) =>
  text.slice(0, at % (text.length + 1)) + piece + text.slice(at % (text.length + 1));

function neverThrows(schema: v.GenericSchema) {
  run(fc.property(fc.oneof(anyString, fc.anything()), (input) => {
    v.safeParse(schema, input);
  }));
}

describe("E.164 properties", () => {
  // Oracle: "+", then 8-15 ASCII digits, the first not "0".
  const isE164 = (text: string) => {
    if (text[0] !== "+" || text.length < 9 || text.length > 16 || text[1] === "0") return false;
    for (const char of text.slice(1)) if (char < "0" || char > "9") return false;
    return true;
  };
  const valid = fc.tuple(fc.constantFrom(..."123456789"), digits(7, 14)).map(([cc, rest]) =>
    `+${cc}${rest}`
  );

  test("every number built from the grammar is accepted", () => {
    run(fc.property(valid, (number) => assert.equal(accepts(E164Schema, number), true, number)));
  });

  test("every mutation is rejected", () => {
    const mutation = fc.oneof(
      valid.map((n) => n.slice(1)), // no "+"
      valid.map((n) => `+0${n.slice(2)}`), // country code 0
      fc.tuple(fc.constantFrom(..."123456789"), digits(0, 6)).map(([a, b]) => `+${a}${b}`),
      fc.tuple(fc.constantFrom(..."123456789"), digits(15, 30)).map(([a, b]) => `+${a}${b}`),
      fc.tuple(
        valid,
        fc.constantFrom(" ", "-", "(", ")", ".", "/", "a", "+", "\n", "٣", "０"),
        fc.nat(),
      )
        .map(([n, c, at]) => insertAt(n, c, at)),
    );
    run(
      fc.property(mutation, (number) => assert.equal(accepts(E164Schema, number), false, number)),
    );
  });

  test("any string: never throws, and agrees with the oracle", () => {
    neverThrows(E164Schema);
    run(fc.property(fc.oneof(anyString, valid), (text) => {
      assert.equal(accepts(E164Schema, text), isE164(text), JSON.stringify(text));
    }));
  });
});

describe("email properties", () => {
  const atext = fc.constantFrom(
    ..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-",
  );
  const atom = fc.string({ unit: atext, minLength: 1, maxLength: 10 });
  const dotAtom = fc.array(atom, { minLength: 1, maxLength: 4 }).map((atoms) => atoms.join("."));
  const qtext = fc.oneof(
    fc.integer({ min: 0x20, max: 0x7e }).filter((c) => c !== 0x22 && c !== 0x5c).map((c) =>
      String.fromCharCode(c)
    ),
    fc.integer({ min: 0x20, max: 0x7e }).map((c) => `\\${String.fromCharCode(c)}`),
  );
  const quoted = fc.string({ unit: qtext, maxLength: 20 }).map((s) => `"${s}"`);
  const alnum = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789");
  const letter = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
  const label = fc.tuple(
    alnum,
    fc.string({ unit: fc.oneof(alnum, fc.constant("-")), maxLength: 8 }),
    alnum,
  )
    .map(([a, mid, b]) => `${a}${mid}${b}`);
  const tld = fc.tuple(letter, fc.string({ unit: alnum, minLength: 1, maxLength: 6 })).map((
    [a, b],
  ) => a + b);
  const hostName = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), tld).map((
    [labels, top],
  ) => [...labels, top].join("."));
  const literal = fc.oneof(fc.ipV4().map((ip) => `[${ip}]`), fc.ipV6().map((ip) => `[IPv6:${ip}]`));
  const email = fc.tuple(
    fc.oneof(dotAtom, quoted),
    fc.oneof({ weight: 4, arbitrary: hostName }, literal),
  )
    .map(([local, domain]) => `${local}@${domain}`);

  test("every address built from the grammar is accepted", () => {
    run(
      fc.property(email, (address) => assert.equal(accepts(EmailSchema, address), true, address)),
    );
  });

  test("fast-check's own RFC 5322 addresses are accepted", () => {
    run(fc.property(fc.emailAddress(), (address) => {
      assert.equal(accepts(EmailSchema, address), true, address);
    }));
  });

  test("every mutation is rejected", () => {
    const dotAtomEmail = fc.tuple(dotAtom, hostName);
    const special = fc.constantFrom(
      " ",
      "(",
      ")",
      ",",
      ":",
      ";",
      "<",
      ">",
      "[",
      "]",
      "\\",
      '"',
      "@",
      "é",
    );
    const mutation = fc.oneof(
      dotAtomEmail.map(([l, d]) => `${l}${d}`), // no "@"
      dotAtomEmail.map(([l, d]) => `.${l}@${d}`),
      dotAtomEmail.map(([l, d]) => `${l}.@${d}`),
      fc.tuple(dotAtomEmail, fc.nat()).map(([[l, d], at]) => `${insertAt(l, "..", at)}@${d}`),
      fc.tuple(dotAtomEmail, special, fc.nat()).map(([[l, d], c, at]) =>
        `${insertAt(l, c, at)}@${d}`
      ),
      dotAtomEmail.map(([l, d]) => `${l}@${d}.${d.length}`), // numeric top-level label
      dotAtomEmail.map(([l, d]) => `${l}@-${d}`),
      dotAtomEmail.map(([l, d]) => `${l}@${d}.`),
      dotAtomEmail.map(([l, d]) => `${l}@.${d}`),
      dotAtomEmail.map(([l, d]) => `${l}@${d.replace(".", "..")}`),
      dotAtomEmail.map(([l]) => `${l}@`),
      dotAtomEmail.map(([, d]) => `@${d}`),
      dotAtomEmail.map(([l, d]) => `${l.padEnd(65, "x")}@${d}`),
      dotAtomEmail.map(([l, d]) => `${l}@${"a".repeat(250)}.${d}`),
      fc.tuple(dotAtomEmail, fc.integer({ min: 256, max: 999 })).map(([[l], n]) =>
        `${l}@[1.2.3.${n}]`
      ),
    );
    run(
      fc.property(
        mutation,
        (address) => assert.equal(accepts(EmailSchema, address), false, address),
      ),
    );
  });

  test("any string: never throws", () => neverThrows(EmailSchema));
});

describe("IPv4 and CIDR properties", () => {
  const octets = (text: string) => text.split(".");
  const isCanonical = (text: string) =>
    octets(text).length === 4 &&
    octets(text).every((part) =>
      /^\d+$/.test(part) && String(Number(part)) === part && Number(part) < 256
    );

  test("every dotted-decimal address is accepted", () => {
    run(fc.property(fc.ipV4(), (ip) => assert.equal(accepts(IPv4Schema, ip), true, ip)));
  });

  test("WHATWG's other IPv4 spellings (hex, octal, shorthand) are rejected", () => {
    run(fc.property(fc.ipV4Extended().filter((ip) => !isCanonical(ip)), (ip) => {
      assert.equal(accepts(IPv4Schema, ip), false, ip);
    }));
  });

  test("every mutation is rejected", () => {
    const parts = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255));
    const mutation = fc.oneof(
      fc.tuple(parts, fc.integer({ min: 256, max: 99999 }), fc.nat(3)).map(([p, big, at]) => {
        const copy: (number | string)[] = [...p];
        copy[at] = big;
        return copy.join(".");
      }),
      fc.tuple(parts, fc.nat(3), fc.constantFrom("0", "00")).map(([p, at, zeros]) => {
        const copy: (number | string)[] = [...p];
        copy[at] = `${zeros}${p[at]}`;
        return copy.join(".");
      }),
      parts.map((p) => p.slice(0, 3).join(".")),
      parts.map((p) => [...p, 1].join(".")),
      parts.map((p) => `${p.join(".")}.`),
      fc.tuple(parts, fc.constantFrom(" ", "\t", "\n", "x")).map(([p, c]) => `${p.join(".")}${c}`),
      fc.tuple(parts, fc.constantFrom(" ", "+", "-")).map(([p, c]) => `${c}${p.join(".")}`),
    );
    run(fc.property(mutation, (ip) => assert.equal(accepts(IPv4Schema, ip), false, ip)));
  });

  test("CIDR: every a.b.c.d/0-32 is accepted, anything else rejected", () => {
    run(fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), (ip, prefix) => {
      assert.equal(accepts(IPv4CidrSchema, `${ip}/${prefix}`), true);
    }));
    const bad = fc.oneof(
      fc.tuple(fc.ipV4(), fc.integer({ min: 33, max: 100000 })).map(([ip, n]) => `${ip}/${n}`),
      fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([ip, n]) => `${ip}/0${n}`),
      fc.ipV4().map((ip) => `${ip}/`),
      fc.ipV4(),
      fc.tuple(fc.ipV4Extended().filter((ip) => !isCanonical(ip)), fc.nat(32)).map(([ip, n]) =>
        `${ip}/${n}`
      ),
      fc.tuple(fc.ipV4(), fc.nat(32)).map(([ip, n]) => `${ip}/-${n}`),
    );
    run(fc.property(bad, (cidr) => assert.equal(accepts(IPv4CidrSchema, cidr), false, cidr)));
  });

  test("any string: never throws, and only canonical addresses pass", () => {
    neverThrows(IPv4Schema);
    neverThrows(IPv4CidrSchema);
    run(fc.property(fc.oneof(anyString, fc.ipV4Extended()), (text) => {
      assert.equal(accepts(IPv4Schema, text), isCanonical(text), JSON.stringify(text));
    }));
  });
});

describe("public URL properties", () => {
  // Oracle: the non-public IPv4 blocks, as written in the schema's documentation.
  const blocks = [
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/4",
    "240.0.0.0/4",
  ].map((block) => {
    const [ip, bits] = block.split("/") as [string, string];
    const start = ip.split(".").reduce((sum, part) => sum * 256 + Number(part), 0);
    return { start, size: 2 ** (32 - Number(bits)) };
  });
  const isPrivate = (n: number) => blocks.some(({ start, size }) => n >= start && n < start + size);
  const dotted = (n: number) =>
    [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");

  const u32 = fc.integer({ min: 0, max: 2 ** 32 - 1 });
  const publicIPv4 = u32.filter((n) => !isPrivate(n));
  const privateIPv4 = fc.tuple(fc.constantFrom(...blocks), fc.nat()).map(([{ start, size }, k]) =>
    start + (k % size)
  );

  const alnum = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789");
  // "xn--" starts a punycode label, which must then decode: leave those to the IDN examples.
  const label = fc.tuple(
    alnum,
    fc.string({ unit: fc.oneof(alnum, fc.constant("-")), maxLength: 10 }),
    alnum,
  )
    .map(([a, mid, b]) => `${a}${mid}${b}`)
    .filter((l) => !l.startsWith("xn--"));
  const blockedSuffixes = [
    "localhost",
    "localdomain",
    "local",
    "internal",
    "home.arpa",
    "lan",
    "test",
    "invalid",
  ];
  const tld = fc.string({
    unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz"),
    minLength: 2,
    maxLength: 8,
  })
    .filter((t) => !blockedSuffixes.includes(t));
  const domainName = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), tld)
    .map(([labels, top]) => [...labels, top].join("."))
    .filter((name) => !name.endsWith(".home.arpa"));
  const hex = (n: number) => n.toString(16);
  const globalIPv6 = fc.tuple(
    fc.integer({ min: 0x2400, max: 0x3ffe }),
    fc.array(fc.nat(0xffff), { minLength: 7, maxLength: 7 }),
  )
    .map(([first, rest]) => `[${[first, ...rest].map(hex).join(":")}]`);
  const mixedCase = (text: string) => fc.mixedCase(fc.constant(text));

  const scheme = fc.constantFrom("http", "https").chain(mixedCase);
  const port = fc.option(fc.integer({ min: 1, max: 65535 }).map((p) => `:${p}`), { nil: "" });
  const tail = fc.tuple(
    fc.webPath(),
    fc.option(fc.webQueryParameters().map((q) => `?${q}`), { nil: "" }),
    fc.option(fc.webFragments().map((f) => `#${f}`), { nil: "" }),
  ).map((parts) => parts.join(""));
  const urlWith = (host: fc.Arbitrary<string>) =>
    fc.tuple(scheme, host, port, tail).map(([s, h, p, t]) => `${s}://${h}${p}${t}`);

  const publicHost = fc.oneof(
    { weight: 3, arbitrary: domainName.chain(mixedCase) },
    publicIPv4.map(dotted),
    globalIPv6,
    publicIPv4.map((n) => `[::ffff:${dotted(n)}]`),
  );
  const publicUrl = urlWith(publicHost).filter((url) => url.length <= 500);

  test("every public URL is accepted", () => {
    run(fc.property(publicUrl, (url) => assert.equal(accepts(PublicUrlSchema, url), true, url)));
  });

  test("URLs to non-public hosts are rejected, however the address is written", () => {
    const ipv4Spellings = (n: number) =>
      fc.constantFrom(
        String(n), // decimal
        `0x${hex(n)}`, // hex
        `0${n.toString(8)}`, // octal
        dotted(n).split(".").map((p) => `0${Number(p).toString(8)}`).join("."), // dotted octal
        dotted(n).split(".").map((p) => `0x${hex(Number(p))}`).join("."), // dotted hex
        `${Math.floor(n / 2 ** 24)}.${n % 2 ** 24}`, // a.bcd shorthand
        `${dotted(n)}.`, // trailing dot
      );
    const privateHost = fc.oneof(
      privateIPv4.map(dotted),
      privateIPv4.chain(ipv4Spellings),
      // Any address, even public, written in another IPv4 spelling.
      u32.chain(ipv4Spellings),
      fc.tuple(fc.array(label, { maxLength: 2 }), fc.constantFrom(...blockedSuffixes), fc.boolean())
        .map(([labels, suffix, dot]) => [...labels, suffix].join(".") + (dot ? "." : ""))
        .chain(mixedCase),
      label, // single-label names
      fc.constantFrom("[::1]", "[::]", "[0:0:0:0:0:0:0:1]", "metadata.google.internal"),
      fc.tuple(fc.integer({ min: 0xfc00, max: 0xfdff }), fc.nat(0xffff)).map(([a, b]) =>
        `[${hex(a)}:${hex(b)}::1]`
      ),
      fc.tuple(fc.integer({ min: 0xfe80, max: 0xfebf }), fc.nat(0xffff)).map(([a, b]) =>
        `[${hex(a)}::${hex(b)}]`
      ),
      fc.tuple(fc.integer({ min: 0xff00, max: 0xffff }), fc.nat(0xffff)).map(([a, b]) =>
        `[${hex(a)}::${hex(b)}]`
      ),
      privateIPv4.map((n) => `[::ffff:${dotted(n)}]`),
      privateIPv4.map((n) => `[::ffff:${hex(Math.floor(n / 65536))}:${hex(n % 65536)}]`),
      privateIPv4.map((n) => `[64:ff9b::${dotted(n)}]`),
      privateIPv4.map((n) => `[2002:${hex(Math.floor(n / 65536))}:${hex(n % 65536)}::1]`),
    );
    run(fc.property(urlWith(privateHost), (url) => {
      assert.equal(accepts(PublicUrlSchema, url), false, url);
    }));
  });

  test("public URLs with user info, another scheme, or over 500 characters are rejected", () => {
    const mutation = fc.oneof(
      fc.tuple(publicUrl, fc.webAuthority().filter((a) => a !== ""), fc.constantFrom("@", ":x@"))
        .map((
          [url, user, at],
        ) => url.replace("://", `://${user.replace(/[@:/?#[\]]/g, "")}${at}`)),
      fc.tuple(
        publicUrl,
        fc.constantFrom("ftp", "file", "ws", "wss", "javascript", "data", "gopher", "httpx"),
      )
        .map(([url, s]) => url.replace(/^https?/i, s)),
      publicUrl.map((url) => url.replace("://", ":")),
      publicUrl.map((url) => url.replace("://", ":/")),
      publicUrl.map((url) => url.replace("://", ":///")),
      fc.tuple(publicUrl, fc.constantFrom(" ", "\t", "\n", "\\")).map(([url, c]) =>
        url.replace("://", `://${c}`)
      ),
      publicUrl.map((url) => `${url}${url.includes("#") ? "" : "#"}${"x".repeat(501)}`),
    );
    run(fc.property(mutation, (url) => assert.equal(accepts(PublicUrlSchema, url), false, url)));
  });

  test("isPublicHost agrees with the URL rule", () => {
    run(fc.property(publicHost, (host) => assert.equal(isPublicHost(host), true, host)));
    run(
      fc.property(privateIPv4.map(dotted), (host) => assert.equal(isPublicHost(host), false, host)),
    );
  });

  test("any string or generated URL: never throws", () => {
    neverThrows(PublicUrlSchema);
    run(fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
      const result = v.safeParse(PublicUrlSchema, url);
      if (result.success) assert.match(url, /^https?:\/\/[^@/?#]+(?:[/?#]|$)/i);
    }));
    run(fc.property(anyString, (host) => {
      isPublicHost(host);
    }));
  });
});
