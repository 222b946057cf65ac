/**
 * The new-message sound: a short two-note chime made with Web Audio, so there is no sound file to
 * serve. A burst of messages chimes once; a browser that has not let the page play sound yet (no
 * click on it so far) simply stays silent.
 */
let audio: AudioContext | null = null;
let last = 0;

/** Play the chime (at most once in 1.5 s). */
export function chime(): void {
  const now = Date.now();
  if (now - last < 1500) return;
  last = now;
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') void audio.resume().catch(() => {});
    const start = audio.currentTime;
    [880, 1320].forEach((hz, i) => {
      const at = start + i * 0.12;
      const tone = audio!.createOscillator();
      const gain = audio!.createGain();
      tone.frequency.value = hz;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.15, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.25);
      tone.connect(gain).connect(audio!.destination);
      tone.start(at);
      tone.stop(at + 0.3);
    });
  } catch {
    // No Web Audio here: no sound.
  }
}
