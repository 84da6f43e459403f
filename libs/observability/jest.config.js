module.exports = require('../../jest.rings').unitRing(__dirname);
