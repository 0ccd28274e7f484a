package io.bulwark.chaos.experiment;

import java.util.List;

/**
 * What a target that owns a real server lets a run do to it: kill it and start it again (a {@link ServerKill}), and
 * check, once the run is over, what the hypothesis says of the server's return — e.g. that shared behaviour came
 * back by itself.
 */
public interface ServerControl {

    /** Kills the server at once (SIGKILL). */
    void kill();

    /** Starts the server again, on the same address; returns once it answers. */
    void restart();

    /** Returns the verdicts on what the server's return must bring back, checked now (after the last request). */
    List<Check> afterRestart();
}
