/*
 * Starts Wagtail's admin widgets from data instead of inline scripts, so that the
 * admin runs under a Content-Security-Policy without 'unsafe-inline' (cms/admin_scripts.py).
 *
 * Each <script type="application/json" data-loket-init> holds one call:
 *   {"call": "PageChooser", "construct": true, "args": ["id_page", {...}]}
 * It is made once, as soon as the element is complete in the page: while the page loads
 * (in document order, as Wagtail's inline scripts ran) and in HTML added later (a chooser
 * modal, a new row of an inline panel). Elements inside <template> wait until a copy is
 * put into the page. Only functions of the admin's own scripts can be called: the name is
 * looked up on window, and the data comes from our server's HTML, never from input.
 */
(function () {
    'use strict';

    var SELECTOR = 'script[type="application/json"][data-loket-init]';
    var started = new WeakSet();

    function lookUp(path) {
        return path.split('.').reduce(function (owner, key) {
            return owner == null ? undefined : owner[key];
        }, window);
    }

    function start(element) {
        if (started.has(element) || !element.isConnected) {
            return;
        }
        var data;
        try {
            data = JSON.parse(element.textContent);
        } catch (error) {
            return; // not parsed completely yet: a later mutation brings the rest
        }
        started.add(element);
        var target = lookUp(data.call);
        if (typeof target !== 'function') {
            console.error('Loket: cannot start widget, ' + data.call + ' is not loaded');
            return;
        }
        try {
            if (data.construct) {
                // eslint-disable-next-line new-cap
                new (Function.prototype.bind.apply(target, [null].concat(data.args)))();
            } else {
                target.apply(window, data.args);
            }
        } catch (error) {
            console.error(error);
        }
    }

    function startAll() {
        document.querySelectorAll(SELECTOR).forEach(start);
    }

    new MutationObserver(startAll).observe(document.documentElement, {
        childList: true,
        subtree: true,
    });
    document.addEventListener('DOMContentLoaded', startAll);
    startAll();
})();
