// The phone's rear camera as a QR reader: BarcodeDetector where the browser has it (a fast path),
// jsQR in a worker everywhere else (BarcodeDetector does not exist on Linux Chromium).

const FRAME_WIDTH = 640; // frames are scaled down to this width before decoding
const INTERVAL_MS = 100;
// A code is reported again only once it has been out of sight this long: a badge held in front of
// the camera while its verdict shows is read once, a new badge at once.
const REPEAT_MS = 4000;

async function nativeDetector() {
  if (!("BarcodeDetector" in window)) return null;
  try {
    const formats = await window.BarcodeDetector.getSupportedFormats();
    return formats.includes("qr_code") ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
  } catch {
    return null;
  }
}

export class Camera {
  /** @param {HTMLVideoElement} video  @param {(text: string) => void} onCode */
  constructor(video, onCode) {
    this.video = video;
    this.onCode = onCode;
    this.stream = null;
    this.paused = false;
    this.timer = null;
    this.seen = new Map(); // code -> when the camera last saw it
    this.canvas = document.createElement("canvas");
    this.context = this.canvas.getContext("2d", { willReadFrequently: true });
    // Started now, while the page surely has network: the worker and jsQR must be loaded before
    // the phone goes offline.
    this.worker = new Worker("/static/js/scan/qr-worker.js");
    this.detector = null;
  }

  get running() {
    return this.stream !== null;
  }

  async start() {
    this.seen.clear(); // starting the camera again is a deliberate new scan
    this.stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
    });
    this.video.srcObject = this.stream;
    this.video.hidden = false;
    await this.video.play();
    this.detector = await nativeDetector();
    this.paused = false;
    this.schedule();
  }

  stop() {
    clearTimeout(this.timer);
    this.stream?.getTracks().forEach((track) => track.stop());
    this.stream = null;
    this.video.srcObject = null;
    this.video.hidden = true;
  }

  /** Stop reporting codes (the camera keeps running) until resume(). */
  pause() {
    this.paused = true;
  }

  resume() {
    this.paused = false;
    this.seen.clear();
  }

  schedule() {
    clearTimeout(this.timer);
    if (this.running) this.timer = setTimeout(() => this.tick(), INTERVAL_MS);
  }

  async tick() {
    if (!this.paused && this.video.readyState >= 2) {
      const text = await this.decode();
      if (text && this.running && !this.paused) this.report(text);
    }
    this.schedule();
  }

  report(text) {
    const now = Date.now();
    const lastSeen = this.seen.get(text);
    this.seen.set(text, now);
    for (const [code, at] of this.seen) if (now - at >= REPEAT_MS && code !== text) this.seen.delete(code);
    if (lastSeen === undefined || now - lastSeen >= REPEAT_MS) this.onCode(text);
  }

  async decode() {
    if (this.detector) {
      try {
        const codes = await this.detector.detect(this.video);
        return codes.length ? codes[0].rawValue : null;
      } catch {
        this.detector = null; // "not implemented" on some platforms: use jsQR from now on
      }
    }
    const scale = Math.min(1, FRAME_WIDTH / this.video.videoWidth);
    const width = Math.round(this.video.videoWidth * scale);
    const height = Math.round(this.video.videoHeight * scale);
    this.canvas.width = width;
    this.canvas.height = height;
    this.context.drawImage(this.video, 0, 0, width, height);
    const pixels = this.context.getImageData(0, 0, width, height).data.buffer;
    return new Promise((resolve) => {
      this.worker.onmessage = (event) => resolve(event.data);
      this.worker.postMessage({ pixels, width, height }, [pixels]);
    });
  }
}
