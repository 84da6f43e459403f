module.exports = require('../../webpack.service')(__dirname, { cli: 'src/cli/audit-cli.ts' });
