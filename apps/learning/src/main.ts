import './tracing';
import { runService } from '@oversight/service-config';
import { AppModule } from './app.module';
import { LearningEnvironment } from './config/learning-environment';

runService('learning', AppModule, LearningEnvironment);
