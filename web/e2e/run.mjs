// End-to-end test of the web app in a real browser (Debian's chromium driven by
// playwright-core; no browser download) against a running `helpdesk serve` with the demo
// data: a visitor opens the embedded widget, asks a knowledge-base question and gets an
// answer with citation tags, asks for a human and gets a ticket; an agent signs in, finds
// the ticket in the console, leaves an internal note the visitor never sees, answers with a
// macro picked by keyboard and then a typed reply, both of which the visitor sees live; the
// visitor rates an answer and the chat, and the admin's report counts the rating. Also: the
// two demo tenants look different, the chat works on a phone-sized viewport and by
// keyboard, an unknown tenant's chat says so, the admin views render (usage and reports
// included), and an admin's upload streams its progress. Screenshots of each view go to target/e2e/.
//
//   HELPDESK_URL=http://127.0.0.1:8080 node e2e/run.mjs

import { strict as assert } from "node:assert";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const base = process.env.HELPDESK_URL;
if (!base) {
  console.error("error: set HELPDESK_URL to a running helpdesk serve (with `helpdesk seed` data)");
  process.exit(2);
}
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const shots = path.join(root, "target", "e2e");
await mkdir(shots, { recursive: true });

const QUESTION = "How do I reset the password I use to log into my Mac?";
// A marker of letters and a few digits: a long digit run would be redacted as a phone or
// card number on its way to the visitor (chat text is redacted; docs/chat.md).
const REPLY = `Hi, this is Alan from IT: I have reset your SSO password (ref ${Date.now().toString(36)}).`;
const NOTE = `Internal: caller verified by phone, do not share the legacy admin code (${Date.now().toString(36)}).`;
let step = 0;
const log = (message) => console.log(`e2e ${++step}: ${message}`);
const shot = (page, name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
try {
  // 1. A customer's page embeds the widget with one script tag.
  const visitor = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const site = await visitor.newPage();
  await site.goto(`${base}/embed-demo.html`);
  const launcher = site.locator('button[data-helpdesk-launcher="acme"]');
  await launcher.click();
  assert.equal(await launcher.getAttribute("aria-expanded"), "true");
  const widget = site.frameLocator("#helpdesk-widget-frame");
  await widget.getByText("Online").waitFor({ timeout: 30_000 });
  log("widget opened from the embed script and connected");

  // 2. A knowledge-base question, typed and sent with the keyboard.
  await widget.getByLabel("Your question").fill(QUESTION);
  await widget.getByLabel("Your question").press("Enter");
  const citation = widget.locator("li.chat-assistant sup.citation[data-doc-id]").first();
  await citation.waitFor({ timeout: 60_000 });
  const docId = await citation.getAttribute("data-doc-id");
  assert.match(docId ?? "", /^[0-9a-f-]{36}$/, "citation carries a document id");
  const live = await widget.getByTestId("chat-live").textContent();
  assert.ok(live && live.length > 20, "the answer is announced in the live region");
  await shot(site, "widget-answer");
  log(`answer with citation tags (doc ${docId})`);

  // The citation opens its source.
  const source = await visitor.newPage();
  await source.goto(`${base}${await citation.locator("a").getAttribute("href")}`);
  await source.locator("h1").waitFor();
  assert.ok(((await source.locator(".doc-text").textContent()) ?? "").length > 50, "source text shown");
  await shot(source, "cited-source");
  await source.close();
  log("the citation links to the source document");

  // 3. Hand off to a person.
  await widget.getByRole("button", { name: "Talk to a human" }).click();
  const ticketLine = widget.locator(".chat-ticket");
  await ticketLine.waitFor({ timeout: 30_000 });
  const ticketNumber = Number(((await ticketLine.textContent()) ?? "").replace(/\D/g, ""));
  assert.ok(ticketNumber > 0, "a ticket number is shown");
  await shot(site, "widget-handoff");
  log(`handed off: ticket #${ticketNumber}`);

  // 4. An agent signs in and finds the ticket in the console.
  const agentContext = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const agent = await agentContext.newPage();
  await agent.goto(`${base}/login?tenant=acme`);
  await shot(agent, "login");
  await agent.getByLabel("E-mail").fill("agent@acme.example");
  await agent.getByLabel("Password").fill("acme-agent-demo");
  await agent.getByRole("button", { name: "Sign in" }).click();
  const row = agent.locator(`tr[data-ticket-number="${ticketNumber}"]`);
  await row.waitFor({ timeout: 30_000 });
  await agent.getByText("Live updates on").waitFor({ timeout: 15_000 });
  await row.getByRole("link").click();
  await agent.getByRole("heading", { name: new RegExp(`#${ticketNumber}`) }).waitFor();
  assert.match((await agent.locator(".transcript").textContent()) ?? "", /reset the password/, "transcript shown");
  await shot(agent, "console-ticket");
  log("the agent sees the handed-off ticket with its transcript");

  // The AI-suggested reply, with its citations.
  const composer = agent.locator("#reply");
  await agent.getByRole("button", { name: "Suggest a reply" }).click();
  await agent.locator(".reply sup.citation[data-doc-id]").first().waitFor({ timeout: 60_000 });
  assert.ok(((await composer.inputValue()) ?? "").length > 20);
  await shot(agent, "console-suggested-reply");
  log("suggested reply drafted with citations");
  await composer.fill("");

  // 5. An internal note: the composer's default. Staff see it marked; the visitor never does.
  assert.ok(await agent.getByRole("radio", { name: /Internal note/ }).isChecked(), "notes are the default");
  await composer.fill(NOTE);
  await agent.getByRole("button", { name: "Add note" }).click();
  await agent.getByText("Note added.").waitFor();
  await agent.locator("li.event-internal", { hasText: NOTE }).waitFor();
  log("the agent left an internal note");

  // A macro from the picker, by keyboard: `/` in the empty box, type, Enter.
  await composer.focus();
  await composer.press("/");
  const search = agent.getByRole("searchbox", { name: "Search canned replies and macros" });
  await search.waitFor();
  await search.fill("SSO password reset");
  await shot(agent, "console-picker");
  await search.press("Enter");
  await agent.getByText(/Macro “SSO password reset.*” applied\./).waitFor({ timeout: 30_000 });
  await widget.locator("li.chat-agent", { hasText: "your SSO password is reset" }).waitFor({ timeout: 30_000 });
  const seen = (await widget.locator(".chat-lines").textContent()) ?? "";
  assert.ok(!seen.includes("legacy admin code"), "the visitor never sees the note");
  await shot(agent, "console");
  log("a macro's reply reached the visitor live; the note did not");

  // The agent replies by hand: a public reply is a deliberate switch.
  await agent.getByRole("radio", { name: /Public reply/ }).check();
  await agent.getByLabel("Reply to the customer").fill(REPLY);
  await agent.getByRole("button", { name: "Send reply" }).click();
  await agent.getByText("Reply sent.").waitFor();
  await widget.locator("li.chat-agent", { hasText: REPLY }).waitFor({ timeout: 30_000 });
  await shot(site, "widget-agent-reply");
  log("the visitor saw the agent's reply live");

  // 6. A reload resumes the session with its history.
  await site.reload();
  await site.locator('button[data-helpdesk-launcher="acme"]').click();
  const resumed = site.frameLocator("#helpdesk-widget-frame");
  await resumed.locator("li.chat-agent", { hasText: REPLY }).waitFor({ timeout: 30_000 });
  assert.ok(!((await resumed.locator(".chat-lines").textContent()) ?? "").includes("legacy admin code"));
  log("after a reload the widget resumed the session (still without the note)");

  // The visitor rates the answer with a thumb, then the chat.
  await resumed.getByRole("button", { name: "Helpful" }).first().click();
  await resumed.getByText("Glad it helped.").first().waitFor();
  await resumed.getByRole("form", { name: "Rate this chat" }).getByRole("button", { name: "Good" }).click();
  await resumed.getByPlaceholder("Anything to add? (optional)").fill("Fast and friendly");
  await resumed.getByRole("button", { name: "Send rating" }).click();
  await resumed.getByText("Thank you for rating this chat.").waitFor({ timeout: 15_000 });
  await shot(site, "widget-rated");
  log("the visitor rated an answer and the chat");

  // An unknown tenant's chat says so instead of waiting for a connection.
  const nowhere = await visitor.newPage();
  await nowhere.goto(`${base}/chat/no-such-desk`);
  await nowhere.getByRole("alert").filter({ hasText: "no help desk" }).waitFor({ timeout: 15_000 });
  await nowhere.close();
  log("an unknown tenant's chat page says there is no such help desk");

  // 7. Two tenants, two looks.
  const brands = {};
  for (const tenant of ["acme", "globex"]) {
    const page = await visitor.newPage();
    await page.goto(`${base}/chat/${tenant}`);
    await page.getByText("Online").waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => document.title !== "Help desk");
    brands[tenant] = await page.evaluate(() =>
      getComputedStyle(document.querySelector(".chat-header")).backgroundColor,
    );
    await shot(page, `chat-page-${tenant}`);
    await page.close();
  }
  assert.notEqual(brands.acme, brands.globex, `themes differ: ${JSON.stringify(brands)}`);
  log(`tenant themes differ (${brands.acme} vs ${brands.globex})`);

  // 8. A phone-sized viewport: no sideways scrolling, the form reachable.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const small = await phone.newPage();
  await small.goto(`${base}/chat/acme`);
  await small.getByText("Online").waitFor({ timeout: 30_000 });
  const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal overflow on a phone (${overflow}px)`);
  assert.ok(await small.getByRole("button", { name: "Send" }).isVisible());
  await shot(small, "chat-phone");
  await phone.close();
  log("usable on a phone-sized viewport");

  // 9. Admin views.
  const adminContext = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const admin = await adminContext.newPage();
  await admin.goto(`${base}/login?tenant=acme&next=/admin`);
  await admin.getByLabel("E-mail").fill("admin@acme.example");
  await admin.getByLabel("Password").fill("acme-admin-demo");
  await admin.getByRole("button", { name: "Sign in" }).click();
  await admin.getByRole("tab", { name: "Users" }).waitFor();
  await admin.getByRole("cell", { name: "agent@acme.example" }).waitFor();
  await shot(admin, "admin-users");
  for (const [tab, expect] of [
    ["Documents", "how-to-log-in"],
    ["Theme", "Primary colour"],
    ["SLA policy", "Business hours"],
    ["Knowledge gaps", "Questions the chat could not answer"],
    ["Replies and macros", "SSO password reset: reply and solve"],
    // Rendered once the usage of this run (the chat above) came back from the server.
    ["Usage", "Embedding inputs"],
    ["Reports", "Top knowledge gaps"],
  ]) {
    await admin.getByRole("tab", { name: tab }).click();
    await admin.getByText(expect).first().waitFor({ timeout: 15_000 });
    await shot(admin, `admin-${tab.toLowerCase().replace(/\s+/g, "-")}`);
  }
  log("admin views render (users, documents, theme, SLA policy, replies and macros, knowledge gaps, usage, reports)");

  // The report counts the visitor's rating.
  const csat = ((await admin.locator('[data-figure="CSAT"]').textContent()) ?? "").match(/\((\d+)\)/);
  assert.ok(csat && Number(csat[1]) >= 1, `the report counts the rating: ${csat}`);
  await admin.locator(".recharts-surface").first().waitFor({ timeout: 15_000 });
  await shot(admin, "reports");
  log(`the report shows the chat's rating (${csat[1]} rating(s))`);

  // 10. An upload streams its progress (server-sent events) and lists the new document.
  await admin.getByRole("tab", { name: "Documents" }).click();
  const markdown = ["# Visitor parking", ""]
    .concat(
      Array.from(
        { length: 30 },
        (_, i) => `Level ${i + 1} of the garage holds visitor spaces on weekdays; reception issues a pass for level ${i + 1}.\n`,
      ),
    )
    .join("\n");
  await admin.getByLabel("Markdown, HTML or PDF files").setInputFiles({
    name: "e2e-visitor-parking.md",
    mimeType: "text/markdown",
    buffer: Buffer.from(markdown),
  });
  const uploaded = admin.waitForResponse(
    (r) => r.url().endsWith("/api/v1/documents") && r.request().method() === "POST",
  );
  await admin.getByRole("button", { name: "Upload" }).click();
  const response = await uploaded;
  assert.match(response.headers()["content-type"] ?? "", /^text\/event-stream/);
  await admin.getByText(/e2e-visitor-parking\.md: added \(\d+ chunks\)/).waitFor({ timeout: 60_000 });
  const events = await response.text();
  assert.match(events, /event: progress\ndata: \{"source":"e2e-visitor-parking\.md","file":1,"stage":"passages"/);
  assert.match(events, /event: done\n/);
  await admin.getByRole("cell", { name: "e2e-visitor-parking.md" }).waitFor();
  await shot(admin, "admin-upload");
  log("a document upload streams its progress and the new document is listed");

  console.log(`e2e: all ${step} steps passed; screenshots in ${shots}`);
} finally {
  await browser.close();
}
