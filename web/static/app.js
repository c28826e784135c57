// Enhancements only: the pages work fully without this file.
// "/" focuses the search box, Esc leaves it, j/k move between results,
// Enter opens the current one, and the sort menu applies itself on change.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  var current = -1;
  function hits() { return Array.prototype.slice.call(document.querySelectorAll("[data-hit]")); }
  function select(index) {
    var list = hits();
    if (!list.length) { return; }
    current = Math.max(0, Math.min(list.length - 1, index));
    list.forEach(function (el, i) { el.classList.toggle("current", i === current); });
    var link = list[current].querySelector("h2 a");
    if (link) { link.focus({ preventScroll: true }); }
    list[current].scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var box = document.querySelector("[data-search-box]");
    if (typing(event.target)) {
      if (event.key === "Escape" && event.target === box) { box.blur(); }
      return;
    }
    if (event.key === "/" && box) {
      event.preventDefault();
      box.focus();
      box.select();
    } else if (event.key === "j") {
      select(current + 1);
    } else if (event.key === "k") {
      select(current - 1);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (menu) {
      menu.addEventListener("change", function () { menu.form.submit(); });
    });
  });
})();
