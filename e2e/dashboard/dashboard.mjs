// Drives Debian's Chromium (never a downloaded browser) through the dashboard of two running gateways; run by
// e2e/dashboard.sh, which starts them and passes their addresses. Each check prints "ok: ..." or throws.
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error("missing environment variable " + name);
  return v;
};
const DEMO = env("DEMO_DASHBOARD");           // http://127.0.0.1:PORT/ui/ of `shadowgate demo`
const FILES = env("FILES_DASHBOARD");         // the same for `shadowgate run -f DIR`
const SERVING = env("FILES_SERVING_VERSION"); // its version now (after the file was changed)
const PREVIOUS = env("FILES_PREVIOUS_VERSION");
const ARTIFACTS = env("ARTIFACTS");
const ATTACKER = env("ATTACKER_PAGE");        // a page on another origin with a form posting to FILES' /rollback
const ROUTE = "default/app-svc#0 primary";
let passed = 0;
const started = Date.now();
const ok = (what) => { passed++; console.log("ok: " + what + " [" + ((Date.now() - started) / 1000).toFixed(1) + " s]"); };
const check = (cond, what) => { if (!cond) throw new Error("FAILED: " + what); ok(what); };

// A fresh profile directory every run: nothing cached or remembered from an earlier run.
const profile = mkdtempSync(join(tmpdir(), "shadowgate-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1400, height: 900 },
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-default-apps"],
});
const page = context.pages()[0] || await context.newPage();
const problems = [];
let expected = false; // while the gateway is down or another site is refused, failed loads are the point
page.on("pageerror", (e) => problems.push("page error: " + e.message));
page.on("console", (m) => { if (m.type() === "error" && !expected) problems.push("console: " + m.text()); });
// No request may leave the admin listeners: the dashboard must work without any other network.
const origins = new Set([new URL(DEMO).origin, new URL(FILES).origin, new URL(ATTACKER).origin]);
page.on("request", (r) => { if (!origins.has(new URL(r.url()).origin)) problems.push("request outside the gateway: " + r.url()); });

try {
  // ---------------------------------------------------------------- overview
  await page.goto(DEMO);
  const row = page.locator(`#routes tbody[data-route="${ROUTE}"]`);
  await row.locator(".verdict .badge").waitFor({ timeout: 20000 });
  const verdict = (await row.locator(".verdict").innerText()).replace(/\s+/g, " ");
  check(/FAIL/.test(verdict), "overview shows the demo's route with its verdict (" + verdict.slice(0, 60) + "…)");
  check(verdict.includes("$.price") && !verdict.includes("generatedAt"), "the verdict's reason names $.price and not the noisy timestamp");
  const rowText = await row.innerText();
  check(/v1/.test(rowText) && /v2/.test(rowText) && /100% of traffic/.test(rowText) && /mirror 100%/.test(rowText),
    "overview shows both versions, the traffic split and the mirror percentage");
  check(/completed \d+/.test(rowText) && /dropped \d+/.test(rowText) && /failed \d+/.test(rowText), "overview shows mirror outcomes");
  await page.waitForFunction(() => [...document.querySelectorAll("#routes td.num")].some((td) => /^\d+\.\d$/.test(td.textContent) && td.textContent !== "0.0"), null, { timeout: 20000 });
  ok("request rates are live (traffic the script sends shows up)");
  await page.screenshot({ path: ARTIFACTS + "/overview.png", fullPage: true });

  // ---------------------------------------------------------------- keyboard: Tab reaches the route link, Enter opens it
  await page.goto(DEMO);
  await row.locator("a.route-link").waitFor();
  let reached = false;
  for (let i = 0; i < 20 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement && document.activeElement.classList.contains("route-link"));
  }
  check(reached, "the route link is reachable with the Tab key");
  await page.keyboard.press("Enter");
  await page.waitForURL(/#\/route\//);
  check((await page.locator("h1").innerText()).includes(ROUTE), "Enter on the link opens the route page");

  // ---------------------------------------------------------------- route page
  const price = page.locator('#fields tr[data-path="$.price"]');
  await price.waitFor({ timeout: 10000 });
  check((await price.locator(".decision").innerText()).trim().startsWith("Real difference"), "$.price is a real difference");
  const generatedAt = page.locator('#fields tr[data-path="$.generatedAt"] .decision');
  const noiseText = (await generatedAt.innerText()).trim();
  check(/^Noise/.test(noiseText), "$.generatedAt is noise (" + noiseText + ")");
  const latencyLabel = await page.locator("#latency-chart svg").getAttribute("aria-label");
  check(/v1: \d+ answers/.test(latencyLabel) && /v2 \(mirror\): \d+ answers/.test(latencyLabel),
    "the latency chart draws v1 and v2 and has a text alternative");
  check(await page.locator("#latency-chart polyline").count() === 2, "v1's and v2's distributions are drawn over each other");
  check((await page.locator("#error-chart svg").getAttribute("aria-label")).startsWith("Error rate over time"), "the error-rate chart has a text alternative");
  await page.locator('#pairs tr[data-outcome="different"] a.pair-link').first().waitFor({ timeout: 10000 });
  await page.screenshot({ path: ARTIFACTS + "/route.png", fullPage: true });
  // The README's picture (docs/images/dashboard.png is a copy of one of these): the top of the route page.
  await page.locator("#main").evaluate((m) => m.blur());
  await page.screenshot({ path: ARTIFACTS + "/dashboard.png", fullPage: true, clip: { x: 0, y: 0, width: 1400, height: 1400 } });

  // ---------------------------------------------------------------- an example pair
  const link = page.locator('#pairs tr[data-outcome="different"] a.pair-link').first();
  const id = (await link.innerText()).trim();
  await link.click();
  await page.locator("#primary-side pre.body").waitFor({ timeout: 10000 });
  check((await page.locator("#request-id").innerText()).trim() === id, "the pair page shows the request's x-request-id");
  check((await page.locator("h1").innerText()).startsWith("GET /api/products/"), "the pair page shows the request");
  const v1Price = page.locator('#primary-side mark.diff[data-path="$.price"]');
  const v2Price = page.locator('#mirror-side mark.diff[data-path="$.price"]');
  check(/"price": \d/.test(await v1Price.innerText()) && /"price": ".* EUR"/.test(await v2Price.innerText()),
    "v1's and v2's bodies side by side, $.price highlighted on both");
  check(await page.locator('#primary-side mark.diff[data-path="$.generatedAt"]').count() === 0, "the noisy timestamp is not highlighted as a difference");
  check(/200/.test(await page.locator("#primary-side").innerText()) && /content-type/.test(await page.locator("#mirror-side").innerText()),
    "both answers show status and headers");
  await page.screenshot({ path: ARTIFACTS + "/pair.png", fullPage: true });

  // ---------------------------------------------------------------- state changes: cross-site refused, same-origin works
  const filesAdmin = new URL("..", FILES).href;
  const configNow = async () => (await (await fetch(filesAdmin + "config")).json()).version;
  // A page of another site (another origin on this machine, without the dashboard's policy) tries a form POST and a
  // no-cors fetch against the admin API: both reach the gateway and are refused, and nothing is rolled back.
  expected = true;
  await page.goto(ATTACKER);
  await page.evaluate(async (target) => {
    await fetch(target + "rollback", { method: "POST", mode: "no-cors", body: "x" }).catch(() => {});
  }, filesAdmin);
  await page.locator("#prize").click();
  await page.waitForURL(filesAdmin + "rollback");
  const refusal = await page.locator("body").innerText();
  check(/^403 Forbidden: cross-site request/.test(refusal), "a cross-site form POST to /rollback gets 403 (" + refusal.trim() + ")");
  check(await configNow() === SERVING, "nothing was rolled back by the other site's form and fetch");
  expected = false;

  await page.goto(FILES + "#/config");
  await page.locator("#config-version").waitFor({ timeout: 10000 });
  check((await page.locator("#config-version").innerText()).trim() === SERVING, "the config page shows the serving version");
  page.once("dialog", (d) => d.accept());
  await page.locator("#rollback").click();
  await page.waitForFunction(() => /Rolled back/.test(document.querySelector("#action-result").textContent), null, { timeout: 10000 });
  check(await configNow() === PREVIOUS, "the rollback button restored the previous config (" + PREVIOUS + ")");
  await page.waitForFunction((v) => document.querySelector("#config-version").textContent.trim() === v, PREVIOUS, { timeout: 10000 });
  ok("the page shows the restored version");
  await page.goto(FILES + "#/");
  await page.locator(`#routes tbody[data-route="${ROUTE}"]`).waitFor({ timeout: 10000 });
  check(/mirror 100%/.test(await page.locator(`#routes tbody[data-route="${ROUTE}"]`).innerText()),
    "the overview shows the restored route (mirror back at 100%)");
  await page.goto(FILES + "#/config");
  await page.locator("#config-history").waitFor();
  await page.screenshot({ path: ARTIFACTS + "/config.png", fullPage: true });

  // ---------------------------------------------------------------- the page survives a gateway restart
  const restart = JSON.parse(env("FILES_GATEWAY_RESTART")); // {pid, pidFile, cmd: [...]}
  await page.goto(FILES);
  await page.waitForFunction(() => /^Live/.test(document.querySelector("#live").textContent), null, { timeout: 10000 });
  expected = true;
  process.kill(restart.pid, "SIGTERM");
  await page.waitForFunction(() => /unreachable/.test(document.querySelector("#live").textContent), null, { timeout: 30000 });
  ok("the page says when the gateway is unreachable");
  await page.screenshot({ path: ARTIFACTS + "/unreachable.png" });
  const again = spawn(restart.cmd[0], restart.cmd.slice(1), { stdio: "ignore", detached: true });
  writeFileSync(restart.pidFile, String(again.pid));
  again.unref();
  await page.waitForFunction(() => /Reconnected/.test(document.querySelector("#live").textContent), null, { timeout: 60000 });
  await page.locator(`#routes tbody[data-route="${ROUTE}"]`).waitFor({ timeout: 10000 });
  ok("after the restart the page reconnects by itself and shows the route again");
  expected = false;

  check(problems.length === 0, "no page errors and no request outside the admin listeners" + (problems.length ? ": " + problems.join("; ") : ""));
  console.log(passed + " passed, 0 failed");
} catch (e) {
  await page.screenshot({ path: ARTIFACTS + "/failure.png", fullPage: true }).catch(() => {});
  console.error(e.message);
  if (problems.length) console.error(problems.join("\n"));
  console.log(passed + " passed, 1 failed");
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
