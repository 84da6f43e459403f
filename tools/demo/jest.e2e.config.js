module.exports = require('../../jest.rings').integrationRing(__dirname);
