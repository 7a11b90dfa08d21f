// Add an item row in the page instead of a round trip; without JavaScript the button submits
// with name="add_item" and the server redisplays the form with one more row.
(function () {
  "use strict";
  document.querySelectorAll("[data-formset-add]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var total = document.getElementById("id_items-TOTAL_FORMS");
      var n = parseInt(total.value, 10);
      var html = document.getElementById("item-template").innerHTML
        .replace(/__prefix__/g, String(n)).replace(/__number__/g, String(n + 1));
      document.getElementById("item-rows").insertAdjacentHTML("beforeend", html);
      total.value = String(n + 1);
      var added = document.getElementById("id_items-" + n + "-text");
      if (added) { added.focus(); }
    });
  });
})();
