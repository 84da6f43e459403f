import { AssignerProtocol, PartitionAssigner } from 'kafkajs';

/**
 * Gives partition N of every subscribed topic to the same group member. All events of one decision carry the
 * same key, and the same partition count with the same partitioner puts that key on the same partition number
 * of every decision topic, so one instance sees all of a decision's events: what per-decision state (the audit
 * hash chain) needs when a service is scaled out. kafkajs's default round-robin spreads them.
 */
export const CoPartitionedAssigner: PartitionAssigner = ({ cluster }) => ({
  name: 'CoPartitionedAssigner',
  version: 0,

  async assign({ members, topics }) {
    const memberIds = members.map((member) => member.memberId).sort();
    const assignment: Record<string, Record<string, number[]>> = {};
    for (const topic of topics) {
      for (const { partitionId } of cluster.findTopicPartitionMetadata(topic)) {
        const memberId = memberIds[partitionId % memberIds.length];
        assignment[memberId] ??= {};
        (assignment[memberId][topic] ??= []).push(partitionId);
      }
    }
    return memberIds.map((memberId) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({
        version: 0,
        assignment: assignment[memberId] ?? {},
        userData: Buffer.alloc(0),
      }),
    }));
  },

  protocol({ topics }) {
    return {
      name: 'CoPartitionedAssigner',
      metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }),
    };
  },
});
