/** The cluster suite's bots run on the local Redis Cluster (jest.cluster.config.js): test/helpers/harness.ts reads this. */
process.env.REDIS_CLUSTER_NODES ||= '127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003';
