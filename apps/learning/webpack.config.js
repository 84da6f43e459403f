module.exports = require('../../webpack.service')(__dirname);
