'use strict';
// Dependent pickers (multiply/admin.py, DependentPickersMixin): an admin autocomplete whose
// choices depend on another field of the same form (a meeting's theme on its programme) names
// that field in data-forward; each search then carries the field's current value as
// forward_<field>, and the admin narrows its answer by it. A field of the same inline row is
// looked up first, then the main form's. Without this script the search is not narrowed, and
// saving still refuses a wrong pick.
{
    const $ = django.jQuery;
    const select2 = $.fn.select2;

    function sourceField(element, name) {
        const form = element.form;
        const row = element.name.slice(0, element.name.lastIndexOf('-') + 1);
        return (row && form.elements[row + name]) || form.elements[name];
    }

    function forwarded(element) {
        const values = {};
        for (const name of element.dataset.forward.split(' ')) {
            const field = sourceField(element, name);
            if (field && field.value) {
                values['forward_' + name] = field.value;
            }
        }
        return values;
    }

    // Django's autocomplete.js starts select2 on every .admin-autocomplete when the page is
    // ready and on every inline row added; this wraps the search parameters it gives.
    $.fn.select2 = function(options, ...rest) {
        const element = this[0];
        if (element && element.dataset.forward && options && options.ajax && options.ajax.data) {
            const data = options.ajax.data;
            options = {
                ...options,
                ajax: {...options.ajax, data: (params) => ({...data(params), ...forwarded(element)})}
            };
        }
        return select2.call(this, options, ...rest);
    };
    Object.assign($.fn.select2, select2);  // select2's defaults and its module loader
}
