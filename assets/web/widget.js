/*
 * helpdesk chat widget. Embed with one tag:
 *   <script src="https://YOUR-HELPDESK/widget.js" data-tenant="acme" async></script>
 * It adds a launcher button; the chat itself runs in an iframe served by the help desk, so
 * the host page's styles and scripts cannot reach it.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var tenant = script.getAttribute("data-tenant");
  if (!tenant) {
    console.error("helpdesk widget: add data-tenant=\"your-slug\" to the script tag");
    return;
  }
  var origin = new URL(script.src, window.location.href).origin;
  var label = script.getAttribute("data-label") || "Help";
  var color = script.getAttribute("data-color") || "#1f4e8c";

  var button = document.createElement("button");
  button.type = "button";
  button.textContent = label;
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", "helpdesk-widget-frame");
  button.setAttribute("data-helpdesk-launcher", tenant);
  button.style.cssText =
    "position:fixed;right:20px;bottom:20px;z-index:2147483000;padding:12px 18px;border:0;" +
    "border-radius:24px;font:600 15px system-ui,sans-serif;color:#fff;cursor:pointer;" +
    "box-shadow:0 4px 14px rgba(0,0,0,.25);background:" + color;

  var frame = null;
  function open() {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.id = "helpdesk-widget-frame";
      frame.title = "Help chat";
      frame.src = origin + "/chat/" + encodeURIComponent(tenant) + "?embed=1";
      frame.style.cssText =
        "position:fixed;right:20px;bottom:76px;z-index:2147483000;width:min(380px,calc(100vw - 40px));" +
        "height:min(560px,calc(100vh - 100px));border:0;border-radius:12px;background:#fff;" +
        "box-shadow:0 8px 30px rgba(0,0,0,.3)";
      document.body.appendChild(frame);
    }
    frame.style.display = "block";
    button.setAttribute("aria-expanded", "true");
  }
  function close() {
    if (frame) frame.style.display = "none";
    button.setAttribute("aria-expanded", "false");
    button.focus();
  }
  button.addEventListener("click", function () {
    if (button.getAttribute("aria-expanded") === "true") close();
    else open();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") close();
  });
  function mount() {
    document.body.appendChild(button);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
