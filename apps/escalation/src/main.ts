import { runHttpService } from '@oversight/service-config';
import { AppModule } from './app.module';
import { EscalationEnvironment } from './config/escalation-environment';

runHttpService('escalation', AppModule, EscalationEnvironment, (env) => {
  const { ESCALATION_PORT, ESCALATION_HOST } = env as EscalationEnvironment;
  return { port: ESCALATION_PORT, host: ESCALATION_HOST };
});
