// W4: an asynchronous call that awaits a 20 ms timer (as a script that waits on a
// fetch or a delay would): it holds no CPU while it waits, so one worker can keep
// many such calls in flight.
//
//   wait(20)  ->  20
async function wait(ms) {
  await new Promise(function (resolve) { setTimeout(resolve, ms); });
  return ms;
}
