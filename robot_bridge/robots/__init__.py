"""A robot's side: the agent library, its command queue, the simulator, the conformance kit."""
