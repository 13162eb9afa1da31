"""Running the stages: the stage functions, building them from configs, the local and Ray runners."""
