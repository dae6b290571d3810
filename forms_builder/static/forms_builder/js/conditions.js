// Progressive enhancement only: without this script every field is shown, and the
// server ignores the answers of fields whose condition does not hold.
//
// Contract (rendered by theme/components/field.html):
//   <div class="form-group" data-field-name="<machine name>"
//        data-condition='{"combinator": "all"|"any", "rules": [...], "answers": {...}}'>
// Rules name fields by machine name: a field of this form is read from the wrapper with
// that data-field-name; any other name is looked up in "answers" (earlier steps).
// A hidden field's inputs are disabled, so they are not sent.
//
// Options of a choice question shown only on a condition on this step's answers:
//   <div class="form-group" data-field-name="..."
//        data-option-conditions='[{"option": "<value>", "condition": {...}}]'>
// A hidden option's radio button (with its label) or <option> is hidden and disabled,
// and unticked when it was chosen; the server refuses it anyway.
//
// The operators mirror forms_builder/conditions.py; keep the two in step.
(function () {
  "use strict";

  var TRUE_WORDS = ["yes", "ja", "true", "1"];
  var FALSE_WORDS = ["no", "nee", "false", "0"];

  function isEmpty(answer) {
    if (answer === null || answer === undefined) return true;
    if (typeof answer === "string") return answer.trim() === "";
    if (Array.isArray(answer)) return answer.length === 0;
    if (typeof answer === "object") return Object.keys(answer).length === 0;
    return false;
  }

  function toBool(value) {
    if (typeof value === "boolean") return value;
    if (typeof value !== "string") return null;
    var word = value.trim().toLowerCase();
    if (TRUE_WORDS.indexOf(word) !== -1) return true;
    if (FALSE_WORDS.indexOf(word) !== -1) return false;
    return null;
  }

  function toNumber(value) {
    var number;
    if (typeof value === "number") {
      number = value;
    } else if (typeof value === "string" && value.trim() !== "") {
      number = Number(value.trim().replace(/ /g, "").replace(",", "."));
    } else {
      return null;
    }
    return isFinite(number) ? number : null;
  }

  function toDate(value) {
    if (typeof value !== "string") return null;
    var text = value.trim();
    var match = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T ])/.exec(text);
    var parts = match ? [match[1], match[2], match[3]] : null;
    if (!parts) {
      match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
      parts = match ? [match[3], match[2], match[1]] : null;
    }
    if (!parts) return null;
    var year = Number(parts[0]), month = Number(parts[1]), day = Number(parts[2]);
    var date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
      return null;
    }
    return date.getTime();
  }

  // Minutes after midnight of "14:30", "9.05", "14u30" or an ISO date and time.
  function toMinutes(value) {
    if (typeof value !== "string") return null;
    var match = /^(?:\d{4}-\d{1,2}-\d{1,2}[T ])?(\d{1,2})[:.hu](\d{2})(?::\d{2})?$/.exec(value.trim());
    if (!match) return null;
    var hour = Number(match[1]), minute = Number(match[2]);
    if (hour > 23 || minute > 59) return null;
    return hour * 60 + minute;
  }

  function toCount(value) {
    var number = typeof value === "boolean" ? null : toNumber(value);
    if (number === null || number < 0 || Math.floor(number) !== number) return null;
    return number;
  }

  function toText(value) {
    if (typeof value === "string" || typeof value === "number") {
      return String(value).trim().toLowerCase();
    }
    return null;
  }

  function same(answer, expected) {
    if (typeof answer === "boolean") {
      var wanted = toBool(expected);
      return wanted !== null && answer === wanted;
    }
    if (typeof answer === "number") {
      var number = toNumber(expected);
      return number !== null && answer === number;
    }
    if (typeof answer === "string") {
      var text = toText(expected);
      if (text === null) return false;
      if (answer.trim().toLowerCase() === text) return true;
      // Amounts are stored as decimal strings ("12.50"); editors may type "12,5".
      var left = toNumber(answer);
      return left !== null && left === toNumber(expected);
    }
    return false;
  }

  function comparable(answer, expected) {
    if (typeof answer === "boolean") return toBool(expected) !== null;
    if (typeof answer === "number") return toNumber(expected) !== null;
    return typeof answer === "string" && toText(expected) !== null;
  }

  function equals(answer, expected) {
    if (Array.isArray(answer)) {
      return answer.some(function (item) { return same(item, expected); });
    }
    return same(answer, expected);
  }

  function ruleHolds(rule, valueOf) {
    if (!rule || typeof rule !== "object") return false;
    var answer = valueOf(rule.field);
    var expected = rule.value;
    var left, right;
    switch (rule.operator) {
      case "is_filled":
        return !isEmpty(answer);
      case "is_empty":
        return isEmpty(answer);
      case "equals":
        return equals(answer, expected);
      case "not_equals":
        if (isEmpty(answer)) return true;
        if (Array.isArray(answer)) return !equals(answer, expected);
        return comparable(answer, expected) && !same(answer, expected);
      case "one_of":
        var options = typeof expected === "string" ? expected.split(/\r?\n/) : expected;
        if (!Array.isArray(options)) return false;
        return options.some(function (option) { return equals(answer, option); });
      case "greater_than":
      case "less_than":
        left = toNumber(answer);
        right = toNumber(expected);
        if (left === null || right === null) return false;
        return rule.operator === "greater_than" ? left > right : left < right;
      case "before":
      case "after":
        left = toDate(answer);
        right = toDate(expected);
        if (left === null || right === null) return false;
        return rule.operator === "before" ? left < right : left > right;
      case "time_before":
      case "time_after":
        left = toMinutes(answer);
        right = toMinutes(expected);
        if (left === null || right === null) return false;
        return rule.operator === "time_before" ? left < right : left > right;
      case "count_at_least":
      case "count_at_most":
        // Nothing ticked (or no answer) is a count of 0; text is not a count.
        left = Array.isArray(answer) ? answer.length : isEmpty(answer) ? 0 : null;
        right = toCount(expected);
        if (left === null || right === null) return false;
        return rule.operator === "count_at_least" ? left >= right : left <= right;
      default:
        return false;
    }
  }

  var MAX_DEPTH = 5;  // as conditions.MAX_DEPTH

  // A rule with its own "rules" is a group: one rule of the condition around it.
  function evaluate(condition, valueOf, depth) {
    depth = depth || 0;
    if (!condition || !Array.isArray(condition.rules) || condition.rules.length === 0) {
      return true;
    }
    var results = condition.rules.map(function (rule) {
      if (rule && typeof rule === "object" && Object.prototype.hasOwnProperty.call(rule, "rules")) {
        return depth < MAX_DEPTH && evaluate(rule, valueOf, depth + 1);
      }
      return ruleHolds(rule, valueOf);
    });
    if (condition.combinator === "any") {
      return results.indexOf(true) !== -1;
    }
    return results.indexOf(false) === -1;
  }

  // The answer in a field's wrapper, as the server would store it (see to_json).
  function readAnswer(wrapper) {
    var controls = Array.prototype.filter.call(
      wrapper.querySelectorAll("input, select, textarea"),
      function (control) { return control.type !== "hidden"; }
    );
    var radios = controls.filter(function (c) { return c.type === "radio"; });
    var checkboxes = controls.filter(function (c) { return c.type === "checkbox"; });
    if (radios.length) {
      var values = radios.map(function (r) { return r.value; }).sort().join(",");
      var checked = radios.filter(function (r) { return r.checked; })[0];
      if (!checked) return null;
      // A yes/no question stores a boolean.
      return values === "no,yes" ? checked.value === "yes" : checked.value;
    }
    if (checkboxes.length > 1 || (checkboxes.length && wrapper.querySelector("fieldset"))) {
      return checkboxes.filter(function (c) { return c.checked; }).map(function (c) { return c.value; });
    }
    if (checkboxes.length) {
      return checkboxes[0].checked;
    }
    var control = controls[0];
    if (!control) return null;
    if (control.tagName === "SELECT" && control.multiple) {
      return Array.prototype.filter.call(control.options, function (o) { return o.selected; })
        .map(function (o) { return o.value; });
    }
    if (control.type === "file") {
      return control.files && control.files.length ? control.value : null;
    }
    if (control.type === "number") {
      var number = toNumber(control.value);
      return number === null ? control.value : number;
    }
    return control.value;
  }

  function setShown(wrapper, shown) {
    wrapper.hidden = !shown;
    wrapper.querySelectorAll("input, select, textarea").forEach(function (control) {
      if (!shown && !control.disabled) {
        control.disabled = true;
        control.setAttribute("data-condition-disabled", "");
      } else if (shown && control.hasAttribute("data-condition-disabled")) {
        control.disabled = false;
        control.removeAttribute("data-condition-disabled");
      }
    });
  }

  function parse(wrapper, attribute) {
    try {
      return JSON.parse(wrapper.getAttribute(attribute || "data-condition"));
    } catch (error) {
      return null;  // Unreadable: leave the field shown; the server decides.
    }
  }

  function answerIn(form, condition) {
    var known = condition.answers || {};
    return function (name) {
      var other = form.querySelector('[data-field-name="' + String(name).replace(/["\\]/g, "\\$&") + '"]');
      if (other) return other.hidden ? null : readAnswer(other);
      return Object.prototype.hasOwnProperty.call(known, name) ? known[name] : null;
    };
  }

  function setOptionShown(wrapper, value, shown) {
    Array.prototype.forEach.call(wrapper.querySelectorAll("input[type=radio], option"), function (control) {
      if (control.value !== value) return;
      var holder = control.tagName === "OPTION" ? control : control.closest(".choice") || control;
      holder.hidden = !shown;
      if (!shown) {
        if (control.checked) control.checked = false;
        if (control.selected) {
          control.selected = false;
          control.parentNode.value = "";
        }
        if (!control.disabled) {
          control.disabled = true;
          control.setAttribute("data-option-disabled", "");
        }
      } else if (control.hasAttribute("data-option-disabled")) {
        control.disabled = false;
        control.removeAttribute("data-option-disabled");
      }
    });
  }

  function update(form) {
    // In document order: a condition only uses earlier fields, so one pass settles all.
    form.querySelectorAll("[data-field-name]").forEach(function (wrapper) {
      if (wrapper.hasAttribute("data-condition")) {
        var condition = parse(wrapper);
        if (condition) setShown(wrapper, evaluate(condition, answerIn(form, condition)));
      }
      if (wrapper.hasAttribute("data-option-conditions")) {
        var entries = parse(wrapper, "data-option-conditions");
        if (!Array.isArray(entries)) return;
        entries.forEach(function (entry) {
          if (!entry || typeof entry.option !== "string" || !entry.condition) return;
          setOptionShown(wrapper, entry.option, evaluate(entry.condition, answerIn(form, entry.condition)));
        });
      }
    });
  }

  if (typeof module === "object" && module.exports) {
    // Node, for tests/forms_builder/test_conditions.py: same cases as the server.
    module.exports = { evaluate: evaluate };
    return;
  }

  document.querySelectorAll("form").forEach(function (form) {
    if (!form.querySelector("[data-condition], [data-option-conditions]")) return;
    var refresh = function () { update(form); };
    form.addEventListener("input", refresh);
    form.addEventListener("change", refresh);
    refresh();
  });
})();
