/* The check-in page's camera scanner (templates/cockpit/check_in.html).
 *
 * Progressive enhancement: without JavaScript (or without a camera) the page's typed-code form
 * and its search still check people in. With it, "Start camera" reads QR codes from the phone's
 * back camera, frame by frame through a canvas: the browser's own BarcodeDetector where it has
 * one that reads QR codes, else the vendored jsQR (static/vendor/jsqr/). Each code read is posted
 * with fetch, with the form's CSRF token, and the answer is shown in an aria-live region.
 */
(function () {
  "use strict";

  var scanner = document.getElementById("scanner");
  var form = document.getElementById("code-form");
  var result = document.getElementById("scan-result");
  var count = document.getElementById("check-in-count");
  if (!scanner || !form || !result || !window.fetch) {
    return;
  }
  // One QR held in front of the camera is read many times a second: post it once, and again
  // only after it has been out of sight for this long.
  var IGNORE_MS = 3000;
  var FRAME_MS = 150;
  var MAX_WIDTH = 640;
  var CLASSES = { checked_in: "message", already: "message message-warning" };

  var url = scanner.getAttribute("data-scan-url");
  var video = document.getElementById("camera");
  var canvas = document.getElementById("camera-frame");
  var startButton = document.getElementById("camera-start");
  var stopButton = document.getElementById("camera-stop");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null;
  var detector = null;
  var busy = false;
  var lastCode = "";
  var lastSeen = 0;

  // The site's button style sets `display`, which beats the `hidden` attribute: set both.
  function shown(element, visible) {
    element.hidden = !visible;
    element.style.display = visible ? "" : "none";
  }

  function show(state, message) {
    result.className = CLASSES[state] || "message message-error";
    result.textContent = message;
  }

  function post(code) {
    var data = new FormData(form);
    data.set("code", code);
    busy = true;
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (answer) {
        show(answer.state, answer.message);
        if (answer.count && count) {
          count.textContent = answer.count;
        }
      })
      .catch(function () {
        show("refused", scanner.getAttribute("data-failed"));
      })
      .then(function () {
        busy = false;
      });
  }

  function seen(code) {
    var now = Date.now();
    var repeat = code === lastCode && now - lastSeen < IGNORE_MS;
    lastCode = code;
    lastSeen = now;
    if (!repeat) {
      post(code);
    }
  }

  function makeDetector() {
    if (!("BarcodeDetector" in window)) {
      return Promise.resolve(null);
    }
    return window.BarcodeDetector.getSupportedFormats()
      .then(function (formats) {
        return formats.indexOf("qr_code") >= 0
          ? new window.BarcodeDetector({ formats: ["qr_code"] })
          : null;
      })
      .catch(function () {
        return null;
      });
  }

  function draw() {
    var scale = Math.min(1, MAX_WIDTH / video.videoWidth);
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
  }

  function read() {
    draw();
    if (detector) {
      return detector.detect(canvas).then(function (codes) {
        return codes.length ? codes[0].rawValue : null;
      });
    }
    if (!window.jsQR) {
      return Promise.resolve(null);
    }
    var image = context.getImageData(0, 0, canvas.width, canvas.height);
    var code = window.jsQR(image.data, image.width, image.height, {
      inversionAttempts: "dontInvert",
    });
    return Promise.resolve(code ? code.data : null);
  }

  function tick() {
    if (!stream) {
      return;
    }
    var ready = video.readyState >= 2 && video.videoWidth > 0 && !busy;
    var reading = ready ? read() : Promise.resolve(null);
    reading
      .then(function (code) {
        if (code) {
          seen(code);
        }
      })
      .catch(function () {
        detector = null; // the native reader failed once: jsQR from now on
      })
      .then(function () {
        window.setTimeout(tick, FRAME_MS);
      });
  }

  function start() {
    var media = navigator.mediaDevices;
    var asked = media
      ? media.getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false })
      : Promise.reject(new Error("no camera"));
    Promise.all([asked, makeDetector()])
      .then(function (both) {
        stream = both[0];
        detector = both[1];
        video.srcObject = stream;
        shown(video, true);
        shown(startButton, false);
        shown(stopButton, true);
        scanner.scrollIntoView({ block: "start" });
        return video.play();
      })
      .then(function () {
        stopButton.focus();
        tick();
      })
      .catch(function () {
        stop();
        show("refused", scanner.getAttribute("data-no-camera"));
      });
  }

  function stop() {
    if (stream) {
      stream.getTracks().forEach(function (track) {
        track.stop();
      });
    }
    stream = null;
    video.srcObject = null;
    shown(video, false);
    shown(stopButton, false);
    shown(startButton, Boolean(navigator.mediaDevices));
  }

  form.addEventListener("submit", function (event) {
    var input = form.querySelector("input[name=code]");
    if (!input.value.trim()) {
      return; // the browser's own "required" message
    }
    event.preventDefault();
    post(input.value.trim()).then(function () {
      input.value = "";
      input.focus();
    });
  });
  startButton.addEventListener("click", start);
  stopButton.addEventListener("click", stop);
  // No camera API (an old browser, or a page not served over HTTPS): typing and search remain.
  shown(startButton, Boolean(navigator.mediaDevices));
  shown(stopButton, false);
  scanner.hidden = false;
})();
