/* scimproof stub: the only script. Progressive enhancement for the ORGANIZATION menu,
   confirmation dialogs and copy buttons; every form also works without it.
   Listeners are delegated on document (this file loads in <head>), so they exist before
   any element they handle can be clicked. */
(function () {
  "use strict";

  function setExpanded(button, open) {
    var panel = document.getElementById(button.getAttribute("aria-controls"));
    button.setAttribute("aria-expanded", open ? "true" : "false");
    if (panel) panel.hidden = !open;
  }

  function closeMenus(except) {
    document.querySelectorAll("[data-disclosure][aria-expanded='true']").forEach(function (button) {
      if (button !== except) setExpanded(button, false);
    });
  }

  function announce(message) {
    var status = document.getElementById("copy-status");
    if (status) status.textContent = message;
  }

  function copyField(button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    var done = function () { announce(button.getAttribute("data-copied") || "Copied."); };
    var fallback = function () {
      field.focus();
      field.select();
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
      if (copied) done(); else announce("Copy did not work: the text is selected, press Ctrl+C.");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, fallback);
    } else {
      fallback();
    }
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-disclosure]");
    if (toggle) {
      closeMenus(toggle);
      setExpanded(toggle, toggle.getAttribute("aria-expanded") !== "true");
      return;
    }
    if (!event.target.closest(".menu")) closeMenus(null);
    var copy = event.target.closest("[data-copy]");
    if (copy) copyField(copy);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = document.querySelector("[data-disclosure][aria-expanded='true']");
    if (open) {
      setExpanded(open, false);
      open.focus();
    }
  });

  // Ticking "Enable SCIM" asks for confirmation first.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[type=checkbox][data-opens-dialog]") || !box.checked) return;
    var dialog = document.getElementById(box.getAttribute("data-opens-dialog"));
    if (dialog && !dialog.open) dialog.showModal();
  });

  // A form marked data-confirm-dialog opens its dialog instead of submitting.
  document.addEventListener("submit", function (event) {
    var dialogId = event.target.getAttribute && event.target.getAttribute("data-confirm-dialog");
    var dialog = dialogId && document.getElementById(dialogId);
    if (dialog) {
      event.preventDefault();
      if (!dialog.open) dialog.showModal();
    }
  });

  // Closing a confirmation (Cancel, Escape) leaves the checkbox that opened it unticked.
  // "close" does not bubble, hence the capture phase.
  document.addEventListener("close", function (event) {
    var dialog = event.target;
    var boxId = dialog.getAttribute && dialog.getAttribute("data-untick");
    var box = boxId && document.getElementById(boxId);
    if (box) box.checked = false;
  }, true);
})();
