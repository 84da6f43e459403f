import './tracing';
import { runHttpService } from '@oversight/http';
import { AppModule } from './app.module';
import { EscalationEnvironment } from './config/escalation-environment';

runHttpService('escalation', AppModule, EscalationEnvironment, (env) => ({
  port: env.ESCALATION_PORT,
  host: env.ESCALATION_HOST,
}));
