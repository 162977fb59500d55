// A guest calls the demo conference over the native /call protocol, keying
// the conference ID as real DTMF audio, and hangs up once in the lobby.
// Run: npx tsx test/server/examples/native-call-example.ts ws://127.0.0.1:8080/call
import WebSocket from 'ws';
import { synthesizeDtmf } from 'dialin-sim';

const ws = new WebSocket(process.argv[2] ?? 'ws://127.0.0.1:8080/call');
let audio: Int16Array = new Int16Array(0); // keys still to send, as 8 kHz PCM
const press = (keys: string) => (audio = synthesizeDtmf(keys, { sampleRate: 8000 }));
ws.on('open', () => {
  ws.send(JSON.stringify({ event: 'start', sampleRate: 8000, from: '+15550001' }));
  const timer = setInterval(() => { // 20 ms of audio every 20 ms: keys, else silence
    const frame = new Int16Array(160);
    frame.set(audio.subarray(0, 160));
    audio = audio.subarray(160);
    ws.send(Buffer.from(frame.buffer));
  }, 20);
  ws.on('close', () => clearInterval(timer));
});
ws.on('message', (data, isBinary) => {
  if (isBinary) return; // what the caller hears: 16-bit PCM, 20 ms per frame
  const event = JSON.parse(data.toString());
  console.log(event.event, event.state ?? event.prompt ?? event.digit ?? event.reason ?? '');
  if (event.event === 'call-started') press('123456#'); // the conference ID
  if (event.state === 'leader-question') press('#'); // not the leader
  if (event.state === 'lobby') ws.send(JSON.stringify({ event: 'hangup' }));
});
