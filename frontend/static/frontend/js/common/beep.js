// An audible alert generated with WebAudio (no audio file, nothing fetched).

let context = null;

/** Browsers allow sound only after a user gesture: call this from any click or key press. */
export function unlockAudio() {
  const Ctor = window.AudioContext || window.webkitAudioContext;
  if (!Ctor) return;
  if (!context) context = new Ctor();
  if (context.state === "suspended") context.resume();
}

/** Three short high beeps; silent if audio is unavailable or still locked. */
export function beep() {
  if (!context) unlockAudio();
  if (!context) return false;
  const start = context.currentTime + 0.01;
  for (let i = 0; i < 3; i += 1) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = "square";
    oscillator.frequency.value = 880;
    gain.gain.setValueAtTime(0.0001, start + i * 0.3);
    gain.gain.exponentialRampToValueAtTime(0.2, start + i * 0.3 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.3 + 0.2);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start + i * 0.3);
    oscillator.stop(start + i * 0.3 + 0.22);
  }
  return true;
}
