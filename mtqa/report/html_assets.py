"""The stylesheet and script of the HTML report, kept apart from the markup code.

Both are inlined into the report (it must be one self-contained file an editor
can mail around); the script is allowed by its hash in the report's
Content-Security-Policy, so no other script can run even if escaping failed.
"""

CSS = """
:root { --critical: #b3261e; --critical-bg: #f9c9c5; --major: #c2410c; --major-bg: #fed7aa;
  --minor: #a16207; --minor-bg: #fef08a; --ins: #dcfce7; --del: #fee2e2; --line: #d4d4d8; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  color: #18181b; background: #fafafa; }
header { padding: 12px 24px; background: #fff; border-bottom: 1px solid var(--line); }
header h1 { font-size: 20px; margin: 0 0 4px; }
.summary { margin: 0; color: #3f3f46; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; margin: 8px 0 0; padding: 0; list-style: none; font-size: 13px; }
.legend li { display: flex; align-items: center; gap: 6px; }
.swatch { display: inline-block; width: 28px; height: 16px; border-radius: 3px; }
main { padding: 8px 24px 40px; }
section.doc { background: #fff; border: 1px solid var(--line); border-radius: 8px; margin: 16px 0; padding: 12px 16px; }
section.doc > h2 { font-size: 17px; margin: 0; word-break: break-all; }
.docmeta { margin: 2px 0 10px; color: #52525b; font-size: 13px; }
.error { color: var(--critical); font-weight: 600; }
.layout { display: grid; grid-template-columns: minmax(0, 3fr) minmax(280px, 2fr); gap: 18px; align-items: start; }
@media (max-width: 900px) { .layout { grid-template-columns: 1fr; } }
.article { font: 17px/1.7 Georgia, "Noto Serif", "Times New Roman", serif; }
.unit { margin: 0 0 10px; }
.unit-id { display: block; font: 11px/1.2 ui-monospace, SFMono-Regular, Menlo, monospace; color: #71717a; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
mark { color: inherit; padding: 1px 0; border-radius: 2px; cursor: pointer; border-bottom: 2px solid; }
mark.sev-critical, .swatch.sev-critical { background: var(--critical-bg); border-color: var(--critical); border-bottom-width: 3px; }
mark.sev-major, .swatch.sev-major { background: var(--major-bg); border-color: var(--major); }
mark.sev-minor, .swatch.sev-minor { background: var(--minor-bg); border-color: var(--minor); border-bottom-style: dashed; }
mark.active, .caret.active { outline: 2px solid #2563eb; outline-offset: 1px; }
.caret { cursor: pointer; font-weight: 700; padding: 0 1px; }
.caret.sev-critical { color: var(--critical); } .caret.sev-major { color: var(--major); } .caret.sev-minor { color: var(--minor); }
.invisible { font: 10px/1 ui-monospace, monospace; border: 1px solid currentColor; border-radius: 2px; padding: 0 2px; color: #7c3aed; }
.panel { position: sticky; top: 8px; max-height: calc(100vh - 16px); overflow: auto; }
.panel h3, .changes h3 { font-size: 14px; margin: 0 0 6px; }
ol.findings { list-style: none; margin: 0; padding: 0; }
li.finding { border: 1px solid var(--line); border-left: 5px solid; border-radius: 6px; padding: 5px 10px; margin: 0 0 6px; font-size: 14px; }
li.finding.sev-critical { border-left-color: var(--critical); } li.finding.sev-major { border-left-color: var(--major); }
li.finding.sev-minor { border-left-color: var(--minor); }
li.finding.active { box-shadow: 0 0 0 2px #2563eb; }
.badge { font-size: 11px; font-weight: 700; text-transform: uppercase; padding: 1px 6px; border-radius: 10px; color: #fff; }
.badge.sev-critical { background: var(--critical); } .badge.sev-major { background: var(--major); } .badge.sev-minor { background: var(--minor); }
.rule { font-size: 12px; }
.where { color: #71717a; font-size: 12px; }
.message { margin: 2px 0; }
.fmeta { margin: 2px 0; color: #52525b; font-size: 12px; }
code { font: 13px ui-monospace, SFMono-Regular, Menlo, monospace; background: #f4f4f5; border-radius: 3px; padding: 0 3px; white-space: pre-wrap; }
fieldset.choices { border: 0; margin: 4px 0 0; padding: 0; }
fieldset.choices legend { font-size: 12px; color: #52525b; padding: 0; float: left; margin-right: 10px; }
fieldset.choices label { display: inline-block; margin-right: 14px; cursor: pointer; }
.changes { margin-top: 14px; border-top: 1px solid var(--line); padding-top: 10px; }
.diff { white-space: pre-wrap; overflow-wrap: anywhere; font: 15px/1.6 Georgia, "Noto Serif", serif; }
.diff del { background: var(--del); color: #991b1b; }
.diff ins { background: var(--ins); color: #166534; text-decoration: none; border-bottom: 1px solid #16a34a; }
.apply { margin-top: 10px; }
.apply button { font: inherit; padding: 4px 12px; cursor: pointer; }
.apply textarea { display: block; width: 100%; min-height: 160px; margin-top: 8px; font: 14px/1.5 ui-monospace, monospace; }
.apply .note { font-size: 12px; color: #52525b; }
.clean { color: #15803d; }
"""

JS = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("mtqa-data").textContent);

  function clearActive(section) {
    section.querySelectorAll(".active").forEach(function (el) { el.classList.remove("active"); });
  }

  function activate(section, key, scrollCard) {
    clearActive(section);
    var card = section.querySelector('li.finding[data-f="' + key + '"]');
    if (card) {
      card.classList.add("active");
      if (scrollCard) { card.scrollIntoView({block: "nearest"}); }
    }
    section.querySelectorAll(".article [data-f]").forEach(function (el) {
      if (el.getAttribute("data-f").split(" ").indexOf(key) >= 0) { el.classList.add("active"); }
    });
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target.closest("input, label, button, textarea, a")) { return; }
    var section = target.closest("section.doc");
    var holder = target.closest("[data-f]");
    if (!section || !holder) { return; }
    var key = holder.getAttribute("data-f").split(" ")[0];
    activate(section, key, holder.tagName !== "LI");
  });

  // Offsets are Unicode code points; JavaScript strings index UTF-16 units.
  function corrected(docIndex) {
    var doc = data.documents[docIndex];
    var skipped = 0;
    var texts = doc.units.map(function (unit) {
      var chars = Array.from(unit.text);
      var edits = [];
      unit.findings.forEach(function (f) {
        var choice = document.querySelector('input[name="c-' + docIndex + "-" + f.k + '"]:checked');
        if (!choice || choice.value === "keep") { return; }
        edits.push({start: f.start, end: f.end, text: f.suggestions[Number(choice.value)]});
      });
      edits.sort(function (a, b) { return a.start - b.start || a.end - b.end; });
      var out = [];
      var position = 0;
      var lastInsert = -1;
      edits.forEach(function (e) {
        // The same rule as mtqa fix: no overlaps, one insertion per point.
        if (e.start < position || (e.start === e.end && e.start === lastInsert)) {
          skipped += 1;
          return;
        }
        if (e.start === e.end) { lastInsert = e.start; }
        out.push(chars.slice(position, e.start).join(""), e.text);
        position = e.end;
      });
      out.push(chars.slice(position).join(""));
      return out.join("");
    });
    return {text: texts.join("\\n"), skipped: skipped};
  }

  document.querySelectorAll("button.apply-button").forEach(function (button) {
    button.addEventListener("click", function () {
      var index = Number(button.getAttribute("data-doc"));
      var box = button.parentNode;
      var result = corrected(index);
      var area = box.querySelector("textarea");
      // textContent (not value) so the text is also in the DOM a test can dump.
      area.textContent = result.text;
      area.hidden = false;
      var note = box.querySelector(".note");
      note.textContent = result.skipped
        ? result.skipped + " accepted suggestion(s) overlap an earlier one and were not applied."
        : "Your accepted suggestions are applied below.";
      var link = box.querySelector("a.download");
      if (link.href) { URL.revokeObjectURL(link.href); }
      link.href = URL.createObjectURL(new Blob([result.text], {type: "text/plain;charset=utf-8"}));
      link.download = data.documents[index].download;
      link.hidden = false;
    });
  });

  // report.html#apply opens with the default choices already applied.
  if (location.hash === "#apply") {
    document.querySelectorAll("button.apply-button").forEach(function (button) { button.click(); });
  }
  document.documentElement.setAttribute("data-mtqa-ready", "1");
})();
"""
