module.exports = require('../../webpack.service')(__dirname, { cli: 'src/cli/gateway-cli.ts' });
