// HTTPS-only policy for base URLs (DESIGN.md §2): plain http is allowed to loopback only, and only
// when the caller opted in (the mock API and local tests).
import { VobizInsecureUrlError } from "../errors.ts";

const loopbackHost = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Parses and checks a base URL; returns it without a trailing slash. */
export function checkBaseUrl(baseUrl: string, allowInsecureLoopback: boolean): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new VobizInsecureUrlError(`baseUrl is not an absolute URL: ${JSON.stringify(baseUrl)}`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new VobizInsecureUrlError("baseUrl must not carry credentials; use authId/authToken");
  }
  if (url.protocol === "http:") {
    if (!loopbackHost.test(url.hostname)) {
      throw new VobizInsecureUrlError(
        `Refusing plain-http baseUrl ${url.origin}: Vobiz requires HTTPS (http is allowed only ` +
          "to a loopback host with allowInsecureLoopback: true)",
      );
    }
    if (!allowInsecureLoopback) {
      throw new VobizInsecureUrlError(
        `Refusing plain-http baseUrl ${url.origin}; pass allowInsecureLoopback: true to talk to a ` +
          "local mock",
      );
    }
  } else if (url.protocol !== "https:") {
    throw new VobizInsecureUrlError(`Unsupported baseUrl protocol ${url.protocol} (use https:)`);
  }
  return url.href.replace(/\/+$/, "");
}
