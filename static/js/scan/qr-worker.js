// Decodes QR codes from camera frames off the main thread with jsQR (npm "jsqr", served at /vendor/).
importScripts("/vendor/jsqr/dist/jsQR.js");

self.onmessage = (event) => {
  const { pixels, width, height } = event.data;
  const code = self.jsQR(new Uint8ClampedArray(pixels), width, height, { inversionAttempts: "dontInvert" });
  self.postMessage(code ? code.data : null);
};
