import type { EcsEmulator } from '../emulator.js';
import type { FaultSpec } from '../faults.js';
import { applySeed, runTaskOptionsFromJson, type EmulatorSeed, type JsonRunTaskOptions } from '../seed.js';
import type { RegisterContainerInstanceOptions, TaskUpdate } from '../state/state-options.js';
import type { Ec2InstanceState, TaskStatus } from '../state/types.js';
import type { JsonOperation } from './ecs-api.js';

/**
 * The emulator's own operations (`X-Amz-Target: WharfEmulator.<Op>`, JSON, unsigned), so a process
 * that did not start the emulator (a demo script, curl) can drive it. Inputs mirror the library API.
 */
export function controlOperations(emulator: EcsEmulator): Record<string, JsonOperation> {
  const as = <T>(input: unknown): T => input as T;
  return {
    Seed: (input) => applySeed(emulator, as<EmulatorSeed>(input)),
    RunTask: (input) => ({ tasks: emulator.state.runTask(runTaskOptionsFromJson(as<JsonRunTaskOptions>(input))) }),
    UpdateTask: (input) => ({ task: emulator.state.updateTask(as<TaskUpdate>(input)) }),
    StopTask: (input) => ({
      task: emulator.state.stopTask(as<{ cluster?: string; task: string; reason?: string; lastStatus?: TaskStatus }>(input)),
    }),
    RegisterContainerInstance: (input) => ({
      containerInstance: emulator.state.registerContainerInstance(as<RegisterContainerInstanceOptions>(input)),
    }),
    SetEc2InstanceState: (input) => {
      const { instanceId, state } = as<{ instanceId: string; state: Ec2InstanceState }>(input);
      return { instance: emulator.state.hosts.setEc2InstanceState(instanceId, state) };
    },
    InjectFault: (input) => ({ id: emulator.faults.inject(as<FaultSpec>(input)).id }),
    ClearFaults: () => {
      emulator.faults.clear();
      return {};
    },
    ListCalls: () => ({ calls: emulator.calls }),
    ResetCalls: () => {
      emulator.resetCalls();
      return {};
    },
    IssueCredentials: (input) => emulator.issueCredentials(as<Parameters<EcsEmulator['issueCredentials']>[0]>(input)),
    CreateTaskRole: (input) => emulator.taskRoleCredentials(as<Parameters<EcsEmulator['taskRoleCredentials']>[0]>(input)),
    CreateTaskMetadataEndpoint: (input) =>
      emulator.taskMetadataEndpoint(as<Parameters<EcsEmulator['taskMetadataEndpoint']>[0]>(input)),
  };
}
