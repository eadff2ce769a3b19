// Sound (WebAudio) and vibration for a scan result, so door staff need not look at the screen.

const PATTERNS = {
  ok: { tones: [[880, 0.12]], wave: "sine", vibrate: [80] },
  warn: { tones: [[660, 0.12], [660, 0.12]], wave: "triangle", vibrate: [80, 80, 80] },
  error: { tones: [[220, 0.45]], wave: "square", vibrate: [300, 100, 300] },
};

let audio = null;

/** Browsers allow sound only after a user gesture: call this from a click handler. */
export function unlockSound() {
  audio ??= new AudioContext();
  audio.resume();
}

/** @param {"ok"|"warn"|"error"} kind */
export function signal(kind) {
  const pattern = PATTERNS[kind];
  navigator.vibrate?.(pattern.vibrate);
  if (!audio || audio.state !== "running") return;
  let at = audio.currentTime;
  for (const [frequency, seconds] of pattern.tones) {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = pattern.wave;
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.25, at);
    gain.gain.exponentialRampToValueAtTime(0.001, at + seconds);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(at);
    oscillator.stop(at + seconds);
    at += seconds + 0.06;
  }
}
