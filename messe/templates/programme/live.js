// Live programme updates for phones: speaks the /<event>/ws protocol (see messe/live/protocol.py).
// Keeps the last seq it has applied, asks for what it missed after every reconnect, drops
// duplicates, asks again when it sees a gap, and refreshes the programme shown on the page.
(function () {
  "use strict";
  var root = document.getElementById("live");
  if (!root || !("WebSocket" in window)) { return; }
  var seq = parseInt(root.getAttribute("data-seq"), 10) || 0;
  var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + root.getAttribute("data-socket");
  var polite = document.getElementById("live-polite");
  var loud = document.getElementById("live-alert");
  var clockParts = new Intl.DateTimeFormat("en-GB", {hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    timeZone: root.getAttribute("data-timezone") || undefined});
  function clock(iso) {  // HH:MM in the event's time zone, as the server writes it
    var parts = {};
    clockParts.formatToParts(new Date(iso)).forEach(function (p) { parts[p.type] = p.value; });
    return parts.hour + ":" + parts.minute;
  }
  var socket = null, backoff = 1000, pingTimer = null, pongTimer = null, refreshTimer = null;

  function text(name, talk, before) {
    var template = root.getAttribute("data-t-" + name) || root.getAttribute("data-t-updated") || "";
    var values = {};
    [["", talk], ["old_", before]].forEach(function (pair) {
      var t = pair[1];
      if (!t) { return; }
      values[pair[0] + "title"] = t.title;
      values[pair[0] + "stage"] = t.stage ? t.stage.name : "";
      values[pair[0] + "start"] = clock(t.starts_at);
      values[pair[0] + "end"] = clock(t.ends_at);
    });
    return template.replace(/\{(\w+)\}/g, function (m, key) { return key in values ? values[key] : m; });
  }

  function notify(message, urgent) {
    var region = urgent ? loud : polite;
    if (!region) { return; }
    var item = document.createElement("p");
    item.className = urgent ? "alert alert--error" : "alert alert--info";
    item.textContent = message;
    region.insertBefore(item, region.firstChild);
    while (region.childNodes.length > 5) { region.removeChild(region.lastChild); }
    if (urgent && navigator.vibrate) { navigator.vibrate([200, 100, 200]); }
  }

  function refresh() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(function () {
      var body = document.getElementById("live-body");
      if (!body) { return; }
      fetch(location.href, {credentials: "same-origin", headers: {"Accept": "text/html"}})
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (!html) { return; }
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("live-body");
          if (fresh) { body.innerHTML = fresh.innerHTML; }
        })
        .catch(function () { /* the next change tries again */ });
    }, 300);
  }

  function apply(msg) {
    if (msg.seq <= seq) { return; }                  // already have it
    if (msg.seq > seq + 1) {                          // missed some: ask for them, in order
      send({type: "hello", since: seq});
      return;
    }
    seq = msg.seq;
    if (msg.type === "announcement") {
      notify(msg.title + (msg.body ? " – " + msg.body : ""), msg.level === "urgent" || msg.starred);
    } else {
      notify(text(msg.kind, msg.talk, msg.before), msg.starred);
    }
    refresh();
  }

  function send(value) {
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(value)); }
  }

  function heartbeat() {
    clearTimeout(pongTimer);
    send({type: "ping"});
    pongTimer = setTimeout(function () { if (socket) { socket.close(); } }, 10000);
  }

  function connect() {
    socket = new WebSocket(url);
    socket.onopen = function () {
      backoff = 1000;
      send({type: "hello", since: seq});
      pingTimer = setInterval(heartbeat, 25000);
    };
    socket.onmessage = function (event) {
      var msg;
      try { msg = JSON.parse(event.data); } catch (e) { return; }
      clearTimeout(pongTimer);
      if (msg.type === "resync") { location.reload(); return; }
      if (msg.type === "change" || msg.type === "announcement") { apply(msg); }
    };
    socket.onclose = function () {
      clearInterval(pingTimer);
      clearTimeout(pongTimer);
      socket = null;
      setTimeout(connect, backoff + Math.random() * 1000);
      backoff = Math.min(backoff * 2, 30000);
    };
  }

  connect();
})();
