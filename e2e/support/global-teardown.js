module.exports = async function globalTeardown() {
  await globalThis.__HOTLINE_STACK__?.stop();
};
