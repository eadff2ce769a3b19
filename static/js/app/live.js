// The /<event>/ws protocol (DESIGN.md, "Websocket protocol"; messe/live/protocol.py): says hello
// with the last seq the page has applied, pings every 25 s and gives up on a silent server, and
// after a lost connection reconnects with growing, jittered back-off (at once when the phone
// says it is online again), resuming from its last seq. What the frames mean is updates.js's.

const PING_SECONDS = 25;
const PONG_SECONDS = 10;
const FIRST_WAIT = 1000;
const LONGEST_WAIT = 30000;

/**
 * Keep a connection to ``url``. ``since()`` is the last seq applied; every change, announcement
 * and resync goes to ``onFrame(frame, askAgain)``, where ``askAgain()`` asks for everything after
 * ``since()`` once more (after a gap); ``onState(connected)`` follows the connection.
 */
export function connect(url, since, onFrame, onState) {
  let socket = null;
  let wait = FIRST_WAIT;
  let retry = null;
  let pinger = null;
  let silence = null;

  const send = (value) => socket?.readyState === WebSocket.OPEN && socket.send(JSON.stringify(value));
  const hello = () => send({ type: "hello", since: since() });

  function ping() {
    send({ type: "ping" });
    silence = setTimeout(() => socket?.close(), PONG_SECONDS * 1000);
  }

  function open() {
    clearTimeout(retry);
    const current = new WebSocket(url);
    socket = current;
    current.onopen = () => {
      wait = FIRST_WAIT;
      hello();
      pinger = setInterval(ping, PING_SECONDS * 1000);
      onState(true);
    };
    current.onmessage = (event) => {
      clearTimeout(silence);
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame.type !== "pong") onFrame(frame, hello);
    };
    current.onclose = () => {
      if (socket !== current) return;
      clearInterval(pinger);
      clearTimeout(silence);
      socket = null;
      onState(false);
      retry = setTimeout(open, wait + Math.random() * 1000);
      wait = Math.min(wait * 2, LONGEST_WAIT);
    };
  }

  addEventListener("online", () => {
    if (socket) return;
    wait = FIRST_WAIT;
    open();
  });
  addEventListener("offline", () => socket?.close());
  open();
}
