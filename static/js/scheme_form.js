// The scheme form: each component shows only the fields of its kind (a badge has no
// campaign nor grid). Without this script every field shows, labelled with its kinds;
// the server ignores the fields of another kind either way.
(function () {
  function update(fieldset, kind) {
    fieldset.querySelectorAll("[data-kinds]").forEach(function (box) {
      var shown = box.dataset.kinds.split(" ").indexOf(kind) !== -1;
      box.hidden = !shown;
      box.querySelectorAll(".kinds").forEach(function (note) { note.hidden = true; });
    });
  }
  document.querySelectorAll("select[data-component-kind]").forEach(function (select) {
    var fieldset = select.closest("fieldset");
    if (!fieldset) return;
    update(fieldset, select.value);
    select.addEventListener("change", function () { update(fieldset, select.value); });
  });
})();
