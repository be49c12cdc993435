// kiosk-central: the reference central server of the kiosk fleet.
import KioskCentral

await KioskCentralCommand.runMain()
