// Wagtail editor: pick a condition's question from a list instead of typing its name.
//
// A condition rule's "field" is a plain text input holding a machine name (so it works
// without this script); its wrapper carries data-loket-condition-field (see
// forms_builder/conditions.py). This script hides that input behind a <select> of the
// questions that come EARLIER in the form being edited, read from the StreamField's
// own inputs: a step's condition lists the questions of earlier steps, a question's
// condition also the questions above it in its step. Reusable steps the form includes
// count with the questions of their published version (a JSON script the admin hook
// puts in the page). The form's calculations (below the steps) are offered in a group
// of their own: the server only accepts one whose answers all come from earlier steps.
// The server checks the choice again when the page is saved (validate_conditions).
// A rule's value is picked from the chosen question's options (yes/no, choices) in the
// same way; the server refuses a value that is none of them.
(function () {
  "use strict";

  var RULE_FIELD = /-value-condition-rules-\d+-value-field$/;
  var FIELD_OWNER = /-value-fields-\d+$/;
  var QUESTION_LABEL = /^(.+)-value-fields-(\d+)-value-label$/;
  var CALCULATION_NAME = /^(calculations-\d+)-value-name$/;

  // Django's slugify() as forms_builder.schema.machine_name uses it.
  function machineName(label) {
    var slug = label
      .normalize("NFKD")
      .replace(/[^\x00-\x7F]/g, "")
      .toLowerCase()
      .replace(/[^\w\s-]/g, "")
      .replace(/[-\s]+/g, "-")
      .replace(/^[-_]+|[-_]+$/g, "");
    return slug.replace(/-/g, "_").slice(0, 100) || "field";
  }

  function named(form, name) {
    return form.querySelector('[name="' + name + '"]');
  }

  function isDeleted(form, prefix) {
    var input = named(form, prefix + "-deleted");
    return Boolean(input && input.value === "1");
  }

  // Questions of the published reusable steps, by snippet id (forms_builder/wagtail_hooks.py).
  var REUSABLE_CHOICE = /^(.+)-value-step$/;
  // The JSON the admin hook puts in the page under ``id`` ({} when missing or broken).
  function pageData(id) {
    var data = document.getElementById(id);
    try {
      return data ? JSON.parse(data.textContent) : {};
    } catch (error) {
      return {};
    }
  }

  var reusableSteps = null;
  function reusableStepQuestions() {
    if (reusableSteps === null) reusableSteps = pageData("loket-reusable-step-questions");
    return reusableSteps;
  }

  // The questions of the reusable steps the form includes: the chooser's hidden input
  // (<step prefix>-value-step) holds the snippet's id.
  function includedQuestions(form, found) {
    var library = reusableStepQuestions();
    form.querySelectorAll('input[name$="-value-step"]').forEach(function (choice) {
      var match = REUSABLE_CHOICE.exec(choice.name);
      if (!match || !/^steps-\d+$/.test(match[1]) || isDeleted(form, match[1])) return;
      var step = library[choice.value];
      if (!step) return;
      step.questions.forEach(function (question) {
        found.push({
          element: choice,
          stepPrefix: match[1],
          fieldPrefix: match[1] + "-included-" + question.name,
          label: question.label,
          name: question.name,
          stepTitle: step.title,
          type: question.type || "",
          choices: question.choices || [],
        });
      });
    });
  }

  // The options an editor typed for a choice question (its "choices" list block).
  var CHOICE_INPUT = /^(.+)-value-choices-(\d+)-value$/;
  function typedChoices(form, fieldPrefix) {
    var choices = [];
    form.querySelectorAll('[name^="' + fieldPrefix + '-value-choices-"]').forEach(function (input) {
      var match = CHOICE_INPUT.exec(input.name);
      if (!match || match[1] !== fieldPrefix) return;
      if (isDeleted(form, fieldPrefix + "-value-choices-" + match[2])) return;
      if (input.value.trim()) choices.push(input.value.trim());
    });
    return choices;
  }

  function inDocumentOrder(a, b) {
    if (a.element === b.element) return 0;
    return a.element.compareDocumentPosition(b.element) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  }

  // Every question of the form, in the order editors see them.
  function questions(form) {
    var found = [];
    form.querySelectorAll('input[name$="-value-label"]').forEach(function (labelInput) {
      var match = QUESTION_LABEL.exec(labelInput.name);
      if (!match) return;
      var stepPrefix = match[1];
      var fieldPrefix = stepPrefix + "-value-fields-" + match[2];
      if (isDeleted(form, stepPrefix) || isDeleted(form, fieldPrefix)) return;
      var label = labelInput.value.trim();
      var nameInput = named(form, fieldPrefix + "-value-name");
      var titleInput = named(form, stepPrefix + "-value-title");
      var typeInput = named(form, fieldPrefix + "-type");
      found.push({
        element: labelInput,
        stepPrefix: stepPrefix,
        fieldPrefix: fieldPrefix,
        label: label,
        name: (nameInput && nameInput.value.trim()) || machineName(label),
        stepTitle: titleInput ? titleInput.value.trim() : "",
        type: typeInput ? typeInput.value : "",
        choices: typedChoices(form, fieldPrefix),
      });
    });
    includedQuestions(form, found);
    // Array.prototype.sort is stable: the questions of one step keep their order.
    return found.sort(inDocumentOrder);
  }

  // The questions a rule may use: above it in the editor, not its own question, and
  // for a step's condition not on that same step.
  function earlierQuestions(input) {
    var owner = input.name.replace(RULE_FIELD, "");
    var isFieldCondition = FIELD_OWNER.test(owner);
    var ownStep = isFieldCondition ? owner.replace(FIELD_OWNER, "") : owner;
    return questions(input.form).filter(function (question) {
      var above = question.element.compareDocumentPosition(input) & Node.DOCUMENT_POSITION_FOLLOWING;
      if (!above) return false;
      return isFieldCondition ? question.fieldPrefix !== owner : question.stepPrefix !== ownStep;
    });
  }

  // The form's calculations (forms_builder/calculations.py), under their own heading.
  function calculations(form, heading) {
    var found = [];
    form.querySelectorAll('input[name^="calculations-"][name$="-value-name"]').forEach(function (nameInput) {
      var match = CALCULATION_NAME.exec(nameInput.name);
      if (!match || isDeleted(form, match[1]) || !nameInput.value.trim()) return;
      var labelInput = named(form, match[1] + "-value-label");
      found.push({
        label: labelInput ? labelInput.value.trim() : "",
        name: nameInput.value.trim(),
        stepTitle: heading,
      });
    });
    return found;
  }

  function fillSelect(select, input, wrapper) {
    var current = input.value.trim();
    var available = earlierQuestions(input).concat(
      calculations(input.form, wrapper.getAttribute("data-calculations") || "=")
    );
    var signature = JSON.stringify([current, available.map(function (q) {
      return [q.stepTitle, q.label, q.name];
    })]);
    if (select.getAttribute("data-signature") === signature) return;
    select.setAttribute("data-signature", signature);
    select.textContent = "";
    select.appendChild(new Option(wrapper.getAttribute("data-placeholder") || "—", ""));
    var group = null;
    var known = false;
    available.forEach(function (question) {
      if (!group || group.label !== question.stepTitle) {
        group = document.createElement("optgroup");
        group.label = question.stepTitle || "—";
        select.appendChild(group);
      }
      var text = (question.label || question.name) + " (" + question.name + ")";
      group.appendChild(new Option(text, question.name, false, question.name === current));
      known = known || question.name === current;
    });
    if (current && !known) {
      var missing = wrapper.getAttribute("data-missing") || "?";
      select.appendChild(new Option(current + " (" + missing + ")", current, false, true));
    }
    if (!current) select.value = "";
  }

  function enhance(wrapper) {
    var input = wrapper.querySelector("input[type=text], input:not([type])");
    if (!input || !input.form || !RULE_FIELD.test(input.name) || input.hasAttribute("data-enhanced")) {
      return;
    }
    input.setAttribute("data-enhanced", "");
    var select = document.createElement("select");
    select.id = input.id + "-choice";
    input.insertAdjacentElement("afterend", select);
    input.hidden = true;
    var label = input.id && document.querySelector('label[for="' + input.id + '"]');
    if (label) label.htmlFor = select.id;
    var refresh = function () { fillSelect(select, input, wrapper); };
    select.addEventListener("focus", refresh);
    select.addEventListener("mousedown", refresh);
    select.addEventListener("change", function () {
      input.value = select.value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    refresh();
  }

  // --- the rule's value: picked from the chosen question's options ------------------
  //
  // The value is a text box (one option per line for "is one of"), so it works without
  // this script, and the server refuses a value that is none of the question's options
  // (forms_builder/conditions.py). For a yes/no or choice question and a comparison
  // that names options, the text box hides behind a list of those options (several
  // can be picked for "is one of"); any other question or comparison keeps the text box.

  var RULE_VALUE = /-value-condition-rules-\d+-value-value$/;
  var OPTION_OPERATORS = { equals: false, not_equals: false, one_of: true };
  var texts = null;
  function conditionTexts() {
    if (texts === null) texts = pageData("loket-condition-texts");
    return texts;
  }

  // [[value, text]] of the question named ``name`` above ``input``; null: no fixed options.
  function optionsOf(input, name) {
    var question = null;
    questions(input.form).forEach(function (candidate) {
      if (candidate.name === name) question = candidate;
    });
    if (!question) return null;
    if (question.type === "yes_no") {
      var words = conditionTexts();
      return [["yes", words.yes || "yes"], ["no", words.no || "no"]];
    }
    if (question.choices && question.choices.length) {
      return question.choices.map(function (choice) { return [choice, choice]; });
    }
    return null;
  }

  function currentValues(textbox) {
    return textbox.value.split("\n").map(function (line) { return line.trim(); }).filter(Boolean);
  }

  function fillValueSelect(select, textbox) {
    var rule = textbox.name.replace(/value$/, "");
    var fieldInput = named(textbox.form, rule + "field");
    var operatorInput = named(textbox.form, rule + "operator");
    var operator = operatorInput ? operatorInput.value : "";
    var options = fieldInput && operator in OPTION_OPERATORS
      ? optionsOf(textbox, fieldInput.value.trim())
      : null;
    var label = textbox.id && document.querySelector('label[for="' + textbox.id + '"], label[for="' + select.id + '"]');
    if (!options) {
      select.hidden = true;
      textbox.hidden = false;
      if (label) label.htmlFor = textbox.id;
      select.removeAttribute("data-signature");
      return;
    }
    var many = OPTION_OPERATORS[operator];
    var current = currentValues(textbox);
    var signature = JSON.stringify([many, current, options]);
    select.hidden = false;
    textbox.hidden = true;
    if (label) label.htmlFor = select.id;
    if (select.getAttribute("data-signature") === signature) return;
    select.setAttribute("data-signature", signature);
    select.multiple = many;
    select.size = many ? Math.min(options.length + 1, 8) : 0;
    select.textContent = "";
    if (!many) {
      select.appendChild(new Option(conditionTexts().choose || "—", "", false, !current.length));
    }
    var known = {};
    options.forEach(function (option) {
      known[option[0]] = true;
      var chosen = current.indexOf(option[0]) !== -1;
      select.appendChild(new Option(option[1], option[0], false, chosen));
    });
    // A value that is none of the options stays visible (and selected), marked: the
    // server refuses it when the page is saved.
    current.forEach(function (value) {
      if (known[value]) return;
      var missing = conditionTexts().stale || "?";
      select.appendChild(new Option(value + " (" + missing + ")", value, false, true));
    });
  }

  function enhanceValue(textbox) {
    if (!textbox.form || textbox.hasAttribute("data-enhanced")) return;
    textbox.setAttribute("data-enhanced", "");
    var select = document.createElement("select");
    select.id = (textbox.id || textbox.name) + "-choice";
    select.hidden = true;
    textbox.insertAdjacentElement("afterend", select);
    var refresh = function () { fillValueSelect(select, textbox); };
    select.addEventListener("focus", refresh);
    select.addEventListener("mousedown", refresh);
    select.addEventListener("change", function () {
      var chosen = Array.prototype.filter.call(select.options, function (option) {
        return option.selected && option.value;
      }).map(function (option) { return option.value; });
      textbox.value = chosen.join("\n");
      textbox.dispatchEvent(new Event("input", { bubbles: true }));
      textbox.dispatchEvent(new Event("change", { bubbles: true }));
    });
    var rule = textbox.name.replace(/value$/, "");
    ["field", "operator"].forEach(function (part) {
      var input = named(textbox.form, rule + part);
      if (input) input.addEventListener("change", refresh);
    });
    refresh();
  }

  function enhanceAll() {
    document.querySelectorAll("[data-loket-condition-field]").forEach(enhance);
    document.querySelectorAll('[name*="-value-condition-rules-"][name$="-value-value"]').forEach(function (input) {
      if (RULE_VALUE.test(input.name)) enhanceValue(input);
    });
  }

  // StreamField renders blocks in the browser, also after the page has loaded.
  var scheduled = false;
  new MutationObserver(function () {
    if (scheduled) return;
    scheduled = true;
    window.requestAnimationFrame(function () {
      scheduled = false;
      enhanceAll();
    });
  }).observe(document.body, { childList: true, subtree: true });
  enhanceAll();
})();
