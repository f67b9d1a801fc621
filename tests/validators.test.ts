import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as v from "valibot";
import {
  dateRange,
  DateRangeSchema,
  DateSchema,
  E164Schema,
  EmailSchema,
  findUnsafeText,
  IpAclAddressSchema,
  IPv4CidrSchema,
  IPv4Schema,
  isPublicHost,
  PasswordSchema,
  perPage,
  PublicUrlSchema,
  safeText,
  SipUsernameSchema,
  toValidationIssues,
  TrunkNameSchema,
  UNSAFE_TEXT_PATTERNS,
  validateInput,
  VobizValidationError,
} from "../mod.ts";

const accepts = (schema: v.GenericSchema, value: unknown) => v.safeParse(schema, value).success;

/** Asserts every value passes and every other one fails, naming the first that does not. */
function check(schema: v.GenericSchema, valid: readonly unknown[], invalid: readonly unknown[]) {
  for (const value of valid) {
    assert.equal(accepts(schema, value), true, `should accept ${String(value)}`);
  }
  for (const value of invalid) {
    assert.equal(accepts(schema, value), false, `should reject ${String(value)}`);
  }
}

describe("E164Schema", () => {
  test("requires +, a country code not starting with 0, 8 to 15 digits", () => {
    check(
      E164Schema,
      ["+919876543210", "+14155551234", "+12345678", "+123456789012345", "+442071838750"],
      [
        "919876543210", // no +
        "+0123456789", // country code 0
        "+1234567", // 7 digits
        "+1234567890123456", // 16 digits
        "+91 98765 43210",
        "+91-9876543210",
        "++919876543210",
        "+91987654321a",
        " +919876543210",
        "+919876543210\n",
        "+",
        "",
        919876543210,
        null,
      ],
    );
  });

  test("an issue carries the field path through validateInput", () => {
    const Body = v.object({ e164: E164Schema });
    assert.throws(() => validateInput(Body, { e164: "12345" }), (error: unknown) => {
      assert.ok(error instanceof VobizValidationError);
      assert.equal(error.code, "VALIDATION_ERROR");
      assert.equal(error.issues.length, 1);
      assert.equal(error.issues[0]!.path, "e164");
      assert.match(error.issues[0]!.message, /E\.164/);
      return true;
    });
  });
});

describe("EmailSchema", () => {
  test("accepts dot-atom and quoted local parts, host names and address literals", () => {
    check(EmailSchema, [
      "ops@example.com",
      "o'brien@example.ie",
      "first.last+tag@sub.example.co.in",
      "!#$%&'*+/=?^_`{|}~-@example.org",
      '"john doe"@example.com',
      '"a@b\\"c"@example.com',
      '""@example.com',
      "user@[192.0.2.1]",
      "user@[IPv6:2001:db8::1]",
      "user@[IPv6:::ffff:192.0.2.1]",
      "x@xn--80ak6aa92e.xn--p1ai",
      `${"a".repeat(64)}@example.com`,
      `a@${"b".repeat(63)}.com`,
      `${"a".repeat(60)}@${"b.".repeat(95)}com`, // 254 characters
    ], [
      "plainaddress",
      "@example.com",
      "user@",
      "user@@example.com",
      "a..b@example.com",
      ".a@example.com",
      "a.@example.com",
      "a b@example.com",
      "a(b)@example.com",
      'a"b@example.com',
      '"unterminated@example.com',
      "user@localhost", // one label
      "user@example.123", // numeric top-level label
      "user@-example.com",
      "user@example-.com",
      "user@exa_mple.com",
      "user@example..com",
      "user@example.com.",
      "user@[192.0.2.256]",
      "user@[IPv6:2001:db8::g]",
      "user@[2001:db8::1]", // IPv6 literals need the tag
      "usér@example.com",
      `${"a".repeat(65)}@example.com`,
      `a@${"b".repeat(64)}.com`,
      `${"a".repeat(61)}@${"b.".repeat(95)}com`, // 255 characters
    ]);
  });
});

describe("IPv4Schema and IPv4CidrSchema", () => {
  test("IPv4 is four decimal parts 0-255 without leading zeros", () => {
    check(IPv4Schema, ["0.0.0.0", "10.20.30.40", "255.255.255.255", "203.0.113.7"], [
      "256.1.1.1",
      "1.2.3",
      "1.2.3.4.5",
      "01.2.3.4",
      "1.2.3.04",
      "0x7f.0.0.1",
      "2130706433",
      "1.2.3.4/32",
      " 1.2.3.4",
      "1.2.3.4 ",
      "1..3.4",
      "::1",
      "",
    ]);
  });

  test("CIDR is a.b.c.d/0-32", () => {
    check(IPv4CidrSchema, ["10.20.30.0/24", "0.0.0.0/0", "1.2.3.4/32", "10.0.0.7/24"], [
      "10.20.30.0",
      "10.20.30.0/33",
      "10.20.30.0/08",
      "10.20.30.0/",
      "10.20.30.0/-1",
      "10.20.30.0/24/1",
      "300.20.30.0/24",
      "10.20.30.0/ 24",
    ]);
  });

  test("an IP ACL entry is an address or a block outside the documentation ranges", () => {
    check(IpAclAddressSchema, ["34.120.5.9", "10.20.30.0/24", "192.0.0.0/16"], [
      "192.0.2.1",
      "198.51.100.0/24",
      "203.0.113.128/25",
      "2001:db8::/32",
      "10.0.0.0/40",
    ]);
  });
});

describe("PublicUrlSchema", () => {
  test("accepts public http(s) URLs, with ports, paths, queries and IDN hosts", () => {
    check(PublicUrlSchema, [
      "https://hooks.example.com/vobiz/answer",
      "http://hooks.example.com",
      "HTTPS://Hooks.Example.COM/a?b=c#d",
      "https://example.com:8443/x",
      "https://a_b.example.com/",
      "https://example.com./",
      "http://8.8.8.8/",
      "http://[2606:4700:4700::1111]/",
      "http://[::ffff:8.8.8.8]/",
      "http://[2002:0808:0808::1]/", // 6to4 of a public address
      "https://пример.рф/путь",
      `https://example.com/${"a".repeat(480)}`, // exactly 500
    ], []);
  });

  test("refuses loopback, private, link-local, metadata and special-use hosts", () => {
    check(PublicUrlSchema, [], [
      "http://localhost/",
      "http://LOCALHOST./",
      "http://ｌｏｃａｌｈｏｓｔ/",
      "http://app.localhost/",
      "http://metadata.google.internal/computeMetadata/v1/",
      "http://db.internal/",
      "http://printer.local/",
      "http://router.home.arpa/",
      "http://intranet/",
      "http://127.0.0.1/",
      "http://127.255.255.254:8080/",
      "http://10.0.0.1/",
      "http://172.16.0.1/",
      "http://172.31.255.255/",
      "http://192.168.1.1/",
      "http://169.254.169.254/latest/meta-data/",
      "http://0.0.0.0/",
      "http://100.64.0.1/",
      "http://100.100.100.200/",
      "http://224.0.0.1/",
      "http://255.255.255.255/",
      "http://[::1]/",
      "http://[::]/",
      "http://[fd00:ec2::254]/",
      "http://[fc00::1]/",
      "http://[fe80::1]/",
      "http://[ff02::1]/",
      "http://[::ffff:127.0.0.1]/",
      "http://[::ffff:169.254.169.254]/",
      "http://[::ffff:a9fe:a9fe]/",
      "http://[64:ff9b::10.0.0.1]/",
      "http://[2002:7f00:0001::1]/",
      "http://[2001:db8::1]/",
    ]);
  });

  test("refuses IPv4 hosts written in decimal, hex, octal or shorthand, even public ones", () => {
    check(PublicUrlSchema, [], [
      "http://2130706433/",
      "http://0x7f000001/",
      "http://0x7f.0.0.1/",
      "http://0177.0.0.1/",
      "http://017700000001/",
      "http://127.1/",
      "http://127.0.1/",
      "http://0xa9fea9fe/",
      "http://134744072/", // 8.8.8.8
      "http://0x08080808/",
      "http://１２７.０.０.１/",
      "http://127.0.0.1./",
      "http://ex%61mple.com/",
    ]);
  });

  test("refuses other schemes, user info, odd shapes and URLs over 500 characters", () => {
    check(PublicUrlSchema, [], [
      "ftp://example.com/",
      "file:///etc/passwd",
      "javascript:alert(1)",
      "gopher://example.com/",
      "//example.com/",
      "example.com/path",
      "http:example.com",
      "http:/example.com",
      "http:///example.com",
      "http:///[2400::1]/",
      "http://user@example.com/",
      "http://user:pass@example.com/",
      "http://@example.com/",
      "http://example.com@127.0.0.1/",
      "http:\\\\example.com\\",
      "http://exa mple.com/",
      "http://example.com/\n",
      " https://example.com/",
      "http://example..com/",
      "http://-example.com/",
      "http://example.com:99999/",
      "http://[::1/",
      `https://example.com/${"a".repeat(481)}`,
      "",
      42,
    ]);
  });

  test("the issue message says why", () => {
    const result = v.safeParse(PublicUrlSchema, "http://169.254.169.254/");
    assert.equal(result.success, false);
    assert.deepEqual(toValidationIssues(result.issues!, "webhook_url").map((i) => i.path), [
      "webhook_url",
    ]);
    assert.match(result.issues![0]!.message, /non-public IPv4/);
  });

  test("isPublicHost applies the same host rules", () => {
    assert.equal(isPublicHost("hooks.example.com"), true);
    assert.equal(isPublicHost("8.8.8.8"), true);
    assert.equal(isPublicHost("2606:4700:4700::1111"), true);
    assert.equal(isPublicHost("[2606:4700:4700::1111]"), true);
    for (
      const host of [
        "localhost",
        "169.254.169.254",
        "::1",
        "[::ffff:10.0.0.1]",
        "0x08080808",
        "example.com:80",
        "example.com/path",
        "user@example.com",
        "metadata.google.internal",
        "",
      ]
    ) {
      assert.equal(isPublicHost(host), false, host);
    }
  });
});

describe("SipUsernameSchema and PasswordSchema", () => {
  test("usernames are alphanumeric", () => {
    check(SipUsernameSchema, ["alice", "Alice01", "0"], [
      "",
      "alice_01",
      "alice-01",
      "alice.01",
      "alice 01",
      "álice",
    ]);
  });

  test("passwords have at least 8 characters", () => {
    check(PasswordSchema, ["12345678", "correct horse battery", "🔑🔑🔑🔑🔑🔑🔑🔑"], [
      "1234567",
      "",
      "🔑🔑🔑🔑", // 8 UTF-16 units, 4 characters
      12345678,
    ]);
  });
});

describe("DateSchema and dateRange", () => {
  test("dates are YYYY-MM-DD and exist", () => {
    check(DateSchema, ["2026-11-26", "2028-02-29", "2000-02-29", "2026-12-31", "2026-01-01"], [
      "2026-02-29",
      "1900-02-29",
      "2026-11-31",
      "2026-13-01",
      "2026-00-10",
      "2026-11-00",
      "2026-1-5",
      "26-11-26",
      "2026/11/26",
      "2026-11-26T00:00:00Z",
      "",
    ]);
  });

  test("start_date and end_date come together, in order", () => {
    check(DateRangeSchema, [
      {},
      { start_date: "2026-11-01", end_date: "2026-11-26" },
      { start_date: "2026-11-26", end_date: "2026-11-26" },
      { start_date: "2026-11-01", end_date: "2026-11-26", other: 1 },
    ], [
      { start_date: "2026-11-01" },
      { end_date: "2026-11-26" },
      { start_date: "2026-11-26", end_date: "2026-11-01" },
      { start_date: "2026-11-31", end_date: "2026-12-01" },
      "2026-11-01",
    ]);
  });

  test("issues point at the field to fix", () => {
    const Filters = dateRange(v.object({
      start_date: v.optional(DateSchema),
      end_date: v.optional(DateSchema),
      to_number: v.optional(E164Schema),
    }));
    const paths = (input: unknown) => {
      const result = v.safeParse(Filters, input);
      return result.success ? [] : toValidationIssues(result.issues).map((i) => i.path);
    };
    assert.deepEqual(paths({ start_date: "2026-11-01" }), ["end_date"]);
    assert.deepEqual(paths({ end_date: "2026-11-01" }), ["start_date"]);
    assert.deepEqual(paths({ start_date: "2026-11-02", end_date: "2026-11-01" }), ["end_date"]);
    // A bad date is reported once, on its own field, not as a range problem too.
    assert.deepEqual(paths({ start_date: "2026-02-30" }), ["start_date"]);
    // The range is still checked when another field is wrong.
    assert.deepEqual(paths({ start_date: "2026-11-02", end_date: "2026-11-01", to_number: "1" }), [
      "to_number",
      "end_date",
    ]);
    assert.deepEqual(paths({ start_date: "2026-11-01", end_date: "2026-11-02" }), []);
  });
});

describe("perPage", () => {
  test("an integer from 1 to the endpoint's maximum", () => {
    check(perPage(100), [1, 50, 100], [0, 101, -1, 2.5, Number.NaN, "20", Infinity]);
    check(perPage(1), [1], [0, 2]);
  });

  test("a bad maximum is a programming error", () => {
    assert.throws(() => perPage(0), RangeError);
    assert.throws(() => perPage(1.5), RangeError);
  });
});

describe("safeText and TrunkNameSchema", () => {
  const text = safeText(100);

  test("ordinary names and descriptions pass", () => {
    check(text, [
      "O'Brien",
      "O'Brien & Sons, Mumbai -- primary",
      "D'Angelo or Smith",
      "Rock 'n' Roll",
      "Suite '#4', 2nd floor",
      "Customer's order = 5",
      "a < b and c > d",
      "Select plan: gold; drop-in support",
      "online=yes; notes",
      "Line 1\nLine 2\tindented",
      "Mumbai → Delhi 📞",
      "100% uptime",
      "",
    ], []);
  });

  test("script and SQL-injection payloads are refused, plain or encoded", () => {
    const cases: [string, string][] = [
      ["<script>alert(1)</script>", "script-tag"],
      ["< SCRIPT src=//evil.example>", "script-tag"],
      ["&lt;script&gt;alert(1)", "script-tag"],
      ["%3Cscript%3Ealert(1)", "script-tag"],
      ["&#x3C;script>", "script-tag"],
      ["%253Cscript%253E", "script-tag"],
      ["<img src=x onerror=alert(1)>", "html-tag"],
      ["<svg/onload=alert(1)>", "html-tag"],
      ["<iframe src=x>", "html-tag"],
      ["javascript:alert(1)", "script-url"],
      ["java\tscript:alert(1)", "script-url"],
      ["VBScript:msgbox", "script-url"],
      ["data:text/html,<b>", "script-url"],
      ['" onmouseover="alert(1)', "event-handler"],
      ["x onfocus=alert(1) autofocus", "event-handler"],
      ["' OR 1=1", "sql-tautology"],
      ["' or 'a'='a", "sql-tautology"],
      ['" OR ""="', "sql-tautology"],
      ["1 or 1=1", "sql-tautology"],
      ["') or ('1'='1", "sql-tautology"],
      ["admin'--", "sql-comment"],
      ["admin'#", "sql-comment"],
      ["admin'/*", "sql-comment"],
      ["x'; DROP TABLE users; --", "sql-comment"],
      ["1; DROP TABLE users", "sql-stacked-query"],
      ["1;delete from calls", "sql-stacked-query"],
      ["1; exec xp_cmdshell 'dir'", "sql-stacked-query"],
      ["1 UNION SELECT password FROM users", "sql-union"],
      ["1 union all select 1", "sql-union"],
      ["1 UNION/**/SELECT 1", "sql-union"],
      ["1/*!50000union*/", "sql-comment"],
      ["1 and sleep(5)", "sql-function"],
      ["1; waitfor delay '0:0:5'", "sql-function"],
      ["name\u0000", "control-character"],
    ];
    for (const [payload, name] of cases) {
      assert.equal(findUnsafeText(payload)?.name, name, payload);
      assert.equal(accepts(text, payload), false, payload);
    }
    assert.deepEqual(
      UNSAFE_TEXT_PATTERNS.map((p) => p.name).sort(),
      [...new Set(cases.map(([, name]) => name))].sort(),
      "every pattern is exercised",
    );
  });

  test("the message names the payload", () => {
    const result = v.safeParse(text, "1 UNION SELECT 1");
    assert.equal(result.issues?.[0]?.message, "must not contain a UNION SELECT (sql-union)");
  });

  test("length is counted in characters", () => {
    check(safeText(3), ["abc", "📞📞📞"], ["abcd", "📞📞📞📞"]);
    assert.throws(() => safeText(-1), RangeError);
  });

  test("trunk names: 1 to 255 characters, one line, safe", () => {
    check(TrunkNameSchema, ["Mumbai primary", "x", "a".repeat(255)], [
      "",
      "   ",
      "a".repeat(256),
      "two\nlines",
      "<script>",
      "x' OR 1=1",
    ]);
  });
});
