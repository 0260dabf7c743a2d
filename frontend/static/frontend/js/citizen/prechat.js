// The optional pre-chat questions: read into the `prechat` object of conversation.start.

export function readPrechat(form) {
  const data = new FormData(form);
  const prechat = {};
  const what = data.get("what_happened");
  if (what) prechat.what_happened = what;
  for (const question of ["happening_now", "in_danger", "under_18"]) {
    const answer = data.get(question);
    if (answer === "yes" || answer === "no") prechat[question] = answer === "yes";
  }
  return prechat;
}

/** Show the call-112 note as soon as someone says they are in danger. */
export function watchDanger(form, note) {
  form.addEventListener("change", () => {
    note.hidden = new FormData(form).get("in_danger") !== "yes";
  });
}
