/**
 * What TCP and UDP listeners share: their life cycle under Spring, their health by name,
 * how their meters are tagged, and the headers of the messages they receive.
 */
package dev.wireport.listener;
