import './tracing';
import { runHttpService } from '@oversight/http';
import { AppModule } from './app.module';
import { GatewayEnvironment } from './config/gateway-environment';
import { configureApiDocs } from './http-app';
import { protectHttp } from './protection/http-protection';

runHttpService('gateway', AppModule, GatewayEnvironment, (env) => ({
  port: env.GATEWAY_PORT,
  host: env.GATEWAY_HOST,
  configure: (app) => {
    protectHttp(app);
    configureApiDocs(app);
  },
}));
