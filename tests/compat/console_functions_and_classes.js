function sign() {} class Client {} console.log(sign, [() => {}], Client, async function load() {}); 0
