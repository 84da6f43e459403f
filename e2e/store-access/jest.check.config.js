module.exports = require('../../jest.rings').checkRing(__dirname);
