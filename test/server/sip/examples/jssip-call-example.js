// Calls the IVR from a web page with JsSIP (load JsSIP's browser bundle first).
// `server` is the IVR's WebSocket URL, e.g. 'ws://127.0.0.1:8080/sip'.
function callIvr(server, number) {
  const socket = new JsSIP.WebSocketInterface(server);
  const ua = new JsSIP.UA({ sockets: [socket], uri: 'sip:caller@example.invalid', register: false });
  return new Promise((resolve) => {
    ua.on('connected', () => {
      const session = ua.call(`sip:${number}@${new URL(server).hostname}`, {
        // Voice processing can eat DTMF tones keyed into the microphone.
        mediaConstraints: { audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false }, video: false },
        pcConfig: { iceServers: [] },
      });
      // Play what the IVR says.
      session.on('peerconnection', ({ peerconnection }) => {
        peerconnection.addEventListener('track', ({ streams }) => {
          const speaker = new Audio();
          speaker.srcObject = streams[0];
          speaker.play();
        });
      });
      session.on('ended', () => ua.stop());
      session.on('failed', () => ua.stop());
      resolve(session);
    });
    ua.start();
  });
}
