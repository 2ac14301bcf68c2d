/*
 * The only script: shows recorded-at times in the reader's own time zone. The pages are complete
 * without it (the server writes UTC).
 */
'use strict';
document.querySelectorAll('time[data-local-time]').forEach(function (element) {
  var instant = new Date(element.getAttribute('datetime'));
  if (isNaN(instant.getTime())) return;
  element.title = element.textContent;
  element.textContent = instant.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
});
