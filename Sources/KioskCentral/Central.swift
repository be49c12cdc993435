// kiosk-central, the reference central server: Open311, the signed feed, heartbeats and the fleet view.
import KioskCore
import KioskProtocol
