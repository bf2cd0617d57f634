-- 6: the machine that hosts a local deployment's process, beside its pid: a replica on another machine must not take
-- the pid for one of its own and mark a live deployment stopped.
ALTER TABLE deployments ADD COLUMN host_name text;
