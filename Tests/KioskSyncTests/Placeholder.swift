// placeholder until the suites land
import Testing
